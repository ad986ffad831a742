using CanUdpMulticast.IO.Asc;
using CanUdpMulticast.IO.Blf;
using CanUdpMulticast.IO.Canutils;
using CanUdpMulticast.IO.Csv;
using CanUdpMulticast.IO.Trc;
using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.IO;

/// <summary>
/// The one place that names the built-in log formats (python-can's <c>MESSAGE_READERS</c>/<c>MESSAGE_WRITERS</c>):
/// the registry knows them through these explicit calls, no reflection. SQLite (<c>.db</c>) lives in the separate
/// package <c>CanUdpMulticast.Sqlite</c> (it brings a native library) and registers itself with <c>SqliteLogFormat.Register()</c>.
/// </summary>
internal static class BuiltInLogFormats
{
    public static void RegisterAll(CanLogFormatRegistry registry)
    {
        registry.Register(CanLogFormat.ForStreams(
            "candump log",
            [".log"],
            (stream, leaveOpen, name, options) => new CanutilsReader(stream, options, leaveOpen, name),
            (stream, leaveOpen, options) => new CanutilsWriter(stream, options, leaveOpen)));
        registry.Register(CanLogFormat.ForStreams(
            "Vector ASC",
            [".asc"],
            (stream, leaveOpen, name, options) => new AscReader(stream, options, leaveOpen, name),
            (stream, leaveOpen, options) => new AscWriter(stream, options, leaveOpen)));
        registry.Register(CanLogFormat.ForStreams(
            "python-can CSV",
            [".csv"],
            (stream, leaveOpen, name, options) => new CsvReader(stream, options, leaveOpen, name),
            (stream, leaveOpen, options) => new CsvWriter(stream, options, leaveOpen)));
        registry.Register(CanLogFormat.ForStreams(
            "PEAK TRC",
            [".trc"],
            (stream, leaveOpen, name, options) => new TrcReader(stream, options, leaveOpen, name),
            (stream, leaveOpen, options) => new TrcWriter(stream, options, leaveOpen)));
        registry.Register(CanLogFormat.ForStreams(
            "Vector BLF",
            [".blf"],
            (stream, leaveOpen, name, options) => new BlfReader(stream, BlfReaderOptions.From(options), leaveOpen),
            (stream, leaveOpen, options) => new BlfWriter(stream, BlfWriterOptions.From(options), leaveOpen),
            supportsGzip: false));
        registry.Register(CanLogFormat.ForStreams(
            "python-can printer text",
            [".txt"],
            reader: null,
            (stream, leaveOpen, options) => new Printer(stream, options, leaveOpen)));
    }
}
