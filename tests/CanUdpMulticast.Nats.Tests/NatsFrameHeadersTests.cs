using System.Buffers;
using System.Text;
using CanUdpMulticast.Nats.Tests.Support;
using CanUdpMulticast.Wire;
using FluentAssertions;
using NATS.Client.Core;
using Xunit;

namespace CanUdpMulticast.Nats.Tests;

/// <summary>The one frame header (<c>Can-Src: source.sequence.time</c>): its form, its parser, and the bus's in-place rewrite.</summary>
public sealed class NatsFrameHeadersTests
{
    [Theory]
    [InlineData(1UL, 1L, 0L)]
    [InlineData(0xFEDCBA9876543210UL, 0x2AL, 1_796_000_000_123_456L)]
    [InlineData(ulong.MaxValue, long.MaxValue, long.MaxValue)]
    public void Format_ThenTryParse_RoundTrips(ulong source, long sequence, long time)
    {
        var value = NatsFrameHeaders.Format(source, sequence, time);

        NatsFrameHeaders.TryParse(value, out var parsedSource, out var parsedSequence, out var parsedTime).Should().BeTrue();
        (parsedSource, parsedSequence, parsedTime).Should().Be((source, sequence, time));
    }

    [Fact]
    public void Format_PadsSequenceAndTimeToFixedWidths()
    {
        NatsFrameHeaders.Format(0xAB, 0x2A, 0x5).Should().Be("00000000000000AB.0000002A.0000000000005");
    }

    [Theory]
    [InlineData("ab.2a.5", 0xABUL, 0x2AL, 5L)]
    [InlineData("AB.1.0.future.fields", 0xABUL, 1L, 0L)]
    public void TryParse_LowerCaseUnpaddedOrExtraFields_Accepted(string value, ulong source, long sequence, long time)
    {
        NatsFrameHeaders.TryParse(value, out var parsedSource, out var parsedSequence, out var parsedTime).Should().BeTrue();
        (parsedSource, parsedSequence, parsedTime).Should().Be((source, sequence, time));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AB")]
    [InlineData("AB.1")]
    [InlineData("AB.1.")]
    [InlineData("0.1.0")]
    [InlineData("AB.0.0")]
    [InlineData("AB.8000000000000000.0")]
    [InlineData("AB.1.8000000000000000")]
    [InlineData("AB.G.0")]
    [InlineData("AB. 1.0")]
    [InlineData("AB.11111111111111111.0")]
    [InlineData("AB..1.0")]
    public void TryParse_Malformed_False(string value)
    {
        NatsFrameHeaders.TryParse(value, out var source, out var sequence, out var time).Should().BeFalse();
        (source, sequence, time).Should().Be((0UL, 0L, 0L));
    }

    [Fact]
    public void TryParse_EveryByteInEveryField_AcceptedOnlyAsAHexDigit()
    {
        for (var b = 0; b < 256; b++)
        {
            var hex = char.IsAsciiHexDigit((char)b);
            var digit = hex ? Convert.ToUInt32(((char)b).ToString(), 16) : 0;
            for (var field = 0; field < 3; field++)
            {
                // Each field "1<b>": two digits when b is one, malformed otherwise ('.' splits the value into 4 fields).
                var fields = new[] { "A1", "21", "31" };
                var value = Encoding.Latin1.GetBytes(string.Join('.', fields)).ToList();
                value.Insert((field * 3) + 2, (byte)b);
                var ok = NatsFrameHeaders.TryParse(value.ToArray().AsSpan(), out var source, out var sequence, out var time);

                if (b == '.')
                {
                    continue; // an extra empty or shifted field: covered by the malformed cases above
                }

                ok.Should().Be(hex, "byte 0x{0:X2} in field {1}", b, field);
                if (hex)
                {
                    var expected = new[] { 0xA1UL, 0x21UL, 0x31UL };
                    expected[field] = (expected[field] << 4) | digit;
                    (source, (ulong)sequence, (ulong)time).Should().Be((expected[0], expected[1], expected[2]));
                }
            }
        }
    }

    [Fact]
    public void TryRead_RawBlockAmongOtherHeaders_FindsTheHeader()
    {
        var block = "NATS/1.0\r\nOther: x\r\nCan-Src-Not: 1.1.1\r\nCan-Src: 00000000000000AB.0000002A.0000000000005\r\n\r\n"u8.ToArray();

        NatsFrameHeaders.TryRead(new ReadOnlySequence<byte>(block), out var source, out var sequence, out var time).Should().BeTrue();
        (source, sequence, time).Should().Be((0xABUL, 0x2AL, 5L));
    }

    [Fact]
    public void TryRead_BlockInTwoSegments_FindsTheHeader()
    {
        var text = Encoding.ASCII.GetBytes("NATS/1.0\r\nCan-Src: AB.7.9\r\n\r\n");
        var first = new Segment(text.AsMemory(0, 15));
        var last = first.Append(text.AsMemory(15));

        NatsFrameHeaders.TryRead(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), out var source, out var sequence, out var time).Should().BeTrue();
        (source, sequence, time).Should().Be((0xABUL, 7L, 9L));
    }

    [Theory]
    [InlineData("Can-Src: 00000000000000AB.0000002A.0000000000005", true, 0xABUL, 0x2AL, 5L)]
    [InlineData("Can-Src:   ab.2a.5  ", true, 0xABUL, 0x2AL, 5L)]
    [InlineData("Can-Src:AB.1.0.future", true, 0xABUL, 1L, 0L)]
    [InlineData("Can-Src: AB.1.0\rX", false, 0UL, 0L, 0L)]
    [InlineData("Can-Src: AB.0.0", false, 0UL, 0L, 0L)]
    [InlineData("Can-Src:", false, 0UL, 0L, 0L)]
    [InlineData("Can-Srcx: AB.1.0", false, 0UL, 0L, 0L)]
    public void TryRead_BusBlock_SameAsBehindAnotherHeader(string line, bool ok, ulong source, long sequence, long time)
    {
        // A block that starts with this header takes the shortcut; the same line behind another header takes the
        // line-by-line search: both must read it alike (strict either way).
        var direct = Encoding.ASCII.GetBytes($"NATS/1.0\r\n{line}\r\n\r\n");
        var behind = Encoding.ASCII.GetBytes($"NATS/1.0\r\nOther: x\r\n{line}\r\n\r\n");

        foreach (var block in new[] { direct, behind })
        {
            NatsFrameHeaders.TryRead(new ReadOnlySequence<byte>(block), out var s, out var q, out var t).Should().Be(ok);
            (s, q, t).Should().Be((source, sequence, time));
        }
    }

    [Fact]
    public void TryRead_BlocksOfTheBusShape_ReadByPositionAlikeWithTheLineSearch()
    {
        // A block of exactly the shape the bus writes is read by position; behind another header the same line goes
        // through the line search. Well-formed values (upper and lower case, zero fields among them), then each with
        // one byte changed anywhere in the line: the two readings must always agree.
        var random = new Random(20261205);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var source = random.Next(50) == 0 ? 0UL : (ulong)random.NextInt64() << random.Next(2);
            var sequence = random.Next(50) == 0 ? 0L : random.NextInt64(1, 0x1_0000_0000);
            var time = random.NextInt64(0, 0x1_0000_0000_0000_0);
            var value = $"{source:X16}.{sequence:X8}.{time:X13}";
            var line = Encoding.ASCII.GetBytes($"Can-Src: {(random.Next(2) == 0 ? value : value.ToLowerInvariant())}");
            if (i % 2 == 1)
            {
                line[random.Next(line.Length)] = (byte)random.Next(256);
            }

            byte[] direct = [.. "NATS/1.0\r\n"u8, .. line, .. "\r\n\r\n"u8];
            byte[] behind = [.. "NATS/1.0\r\nOther: x\r\n"u8, .. line, .. "\r\n\r\n"u8];
            direct.Length.Should().Be(62, "the bus's block: 19-byte prefix, 39-character value, two line ends");

            var ok = NatsFrameHeaders.TryRead(new ReadOnlySequence<byte>(direct), out var s, out var q, out var t);
            var okBehind = NatsFrameHeaders.TryRead(new ReadOnlySequence<byte>(behind), out var s2, out var q2, out var t2);
            (ok, s, q, t).Should().Be((okBehind, s2, q2, t2), Encoding.ASCII.GetString(line));
            if (i % 2 == 0)
            {
                ok.Should().Be(source != 0 && sequence != 0);
                if (ok)
                {
                    (s, q, t).Should().Be((source, sequence, time));
                    accepted++;
                }
            }
        }

        accepted.Should().BeGreaterThan(9_000);
    }

    [Fact]
    public void TryRead_NoSuchHeader_False()
    {
        NatsFrameHeaders.TryRead(new ReadOnlySequence<byte>("NATS/1.0\r\nCan-Source: AB\r\n\r\n"u8.ToArray()), out _, out _, out _).Should().BeFalse();
    }

    [Fact]
    public async Task Send_ManyFrames_EachCarriesItsOwnSequenceAndSendingAllocatesNothingPerFrame()
    {
        using var server = NatsServerProcess.Start();
        await using var raw = new NatsConnection(new NatsOpts { Url = server.Url });
        await using var subscription = await raw.SubscribeCoreAsync<byte[]>("can.alloc.>");
        await raw.PingAsync();
        using var sender = new NatsBus(Frames.Options(server.Url, "alloc"));
        var frame = new CanMessage { ArbitrationId = 0x123, Data = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 } };
        sender.Send(frame); // the first frame makes the reusable header
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var sequences = new List<long> { Parse((await subscription.Msgs.ReadAsync(timeout.Token)).Headers!) };

        // Chunks of 100, each received before the next: the client's buffer never fills (no back-pressure), so every
        // publish completes synchronously and the header is rewritten in place; allocation is counted per chunk.
        var quietChunks = 0;
        for (var chunk = 0; chunk < 20; chunk++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 100; i++)
            {
                sender.Send(frame);
            }

            if (GC.GetAllocatedBytesForCurrentThread() == before)
            {
                quietChunks++;
            }
            for (var i = 0; i < 100; i++)
            {
                sequences.Add(Parse((await subscription.Msgs.ReadAsync(timeout.Token)).Headers!));
            }
        }

        sequences.Should().Equal(Enumerable.Range(1, 2001).Select(i => (long)i));
        // With a string per header field (before) every chunk allocated about 9 KB. What remains is NATS.Net's own: now and
        // then its send pipe takes a fresh 16 KB segment from the shared array pool.
        quietChunks.Should().BeGreaterThanOrEqualTo(10, "sending a frame allocates nothing");

        long Parse(NatsHeaders headers)
        {
            NatsFrameHeaders.TryParse(headers[NatsFrameHeaders.Name].ToString(), out var source, out var sequence, out _).Should().BeTrue();
            source.Should().Be(sender.SourceId);
            return sequence;
        }
    }

    [Fact]
    public async Task Send_AfterTheClientAddedATraceContext_NextFramesCarryOnlyTheFrameHeader()
    {
        using var server = NatsServerProcess.Start();
        await using var raw = new NatsConnection(new NatsOpts { Url = server.Url });
        await using var subscription = await raw.SubscribeCoreAsync<byte[]>("can.trace.>");
        await raw.PingAsync();
        using var sender = new NatsBus(Frames.Options(server.Url, "trace"));
        var frame = new CanMessage { ArbitrationId = 0x1 };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        sender.Send(frame);
        (await subscription.Msgs.ReadAsync(timeout.Token)).Headers!.Keys.Should().Equal(NatsFrameHeaders.Name);

        // While a listener samples NATS.Net's activities, the client adds the trace context to the (reused) headers.
        using (var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("NATS", StringComparison.Ordinal),
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        })
        {
            System.Diagnostics.ActivitySource.AddActivityListener(listener);
            sender.Send(frame);
            (await subscription.Msgs.ReadAsync(timeout.Token)).Headers!.Keys.Should().Contain(NatsFrameHeaders.Name).And.HaveCountGreaterThan(1);
        }

        sender.Send(frame);
        var last = await subscription.Msgs.ReadAsync(timeout.Token);
        last.Headers!.Keys.Should().Equal(NatsFrameHeaders.Name);
        NatsFrameHeaders.TryParse(last.Headers[NatsFrameHeaders.Name].ToString(), out _, out var sequence, out _).Should().BeTrue();
        sequence.Should().Be(3);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
