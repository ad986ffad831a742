using CanUdpMulticast.Interfaces.Virtual;
using CanUdpMulticast.Registry;
using Spectre.Console.Testing;

namespace CanUdpMulticast.Cli.Tests.Support;

/// <summary>
/// Runs <c>canudp</c> in-process, exactly as from a shell but with captured output, no terminal, and a sandboxed
/// configuration (no CAN_* variables, no config files) unless a test gives its own.
/// </summary>
public sealed class Canudp : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private readonly TestConsole _console = new();

    public Canudp(bool terminal = false, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? configFiles = null)
    {
        _console.Profile.Width = 160;
        if (terminal)
        {
            _console.Interactive();
        }

        Context = new CliContext
        {
            Out = TextWriter.Synchronized(_out),
            Error = TextWriter.Synchronized(_error),
            Console = _console,
            OutputIsTerminal = terminal,
            ConfigurationLoader = new BusConfigurationLoader
            {
                GetEnvironmentVariable = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
                ConfigFiles = configFiles ?? [],
            },
        };
    }

    internal CliContext Context { get; }

    /// <summary>What the running command has written to stderr so far.</summary>
    public string ErrorSoFar
    {
        get
        {
            // TextWriter.Synchronized locks on the wrapper; so does this read.
            lock (Context.Error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Runs a command line to its end.</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var canudp = new Canudp();
        return await canudp.StartAsync(args, CancellationToken.None);
    }

    /// <summary>Starts a command line; it ends by itself or when <paramref name="cancellationToken"/> (Ctrl+C) is cancelled.</summary>
    public async Task<CliResult> StartAsync(string[] args, CancellationToken cancellationToken)
    {
        // A real thread, as from a shell: the command must not depend on the caller's synchronization context.
        var exit = await Task.Run(() => CanudpApp.RunAsync(args, Context, cancellationToken), CancellationToken.None);
        return new CliResult(exit, _out.ToString(), _error.ToString(), _console.Output);
    }

    public void Dispose()
    {
        _out.Dispose();
        _error.Dispose();
        _console.Dispose();
    }

    /// <summary>A virtual channel name no other test uses.</summary>
    public static string UniqueChannel(string prefix = "cli") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>
    /// Waits until a command has opened a virtual channel (so it receives everything sent from now on; frames queue
    /// in its bus until its receive loop runs). Only works while the test itself has no bus on that channel.
    /// </summary>
    public static async Task WaitForChannelAsync(string channel, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!VirtualBus.ChannelsInUse().Contains(channel))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No command opened virtual channel '{channel}' in time.");
            }

            await Task.Delay(5);
        }
    }
}
