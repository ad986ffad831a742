using CanUdpMulticast.Registry;
using Spectre.Console;

namespace CanUdpMulticast.Cli;

/// <summary>
/// Everything a command touches outside itself: the output streams, the terminal, the registry and the
/// configuration sources. The real process uses <see cref="CreateForProcess"/>; tests pass writers and a
/// sandboxed configuration loader, so commands run in-process exactly as from a shell.
/// </summary>
internal sealed class CliContext
{
    /// <summary>Where data goes (frames, tables). Not synchronized: one command writes to it.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Where diagnostics and summaries go.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Spectre console for tables, live views and progress bars (writes to <see cref="Out"/>'s terminal).</summary>
    public required IAnsiConsole Console { get; init; }

    /// <summary>Cancelled when the reader of <see cref="Out"/> went away (a closed pipe): the command then ends as on Ctrl+C.</summary>
    public CancellationToken OutputClosed { get; init; }

    /// <summary>Whether <see cref="Out"/> is an interactive terminal (colours, progress bars, live views).</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>Standard input as lines (restbus's <c>set</c> commands); empty by default.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>Whether key presses can be read (monitor's <c>q</c>).</summary>
    public IKeySource Keys { get; init; } = NoKeys.Instance;

    /// <summary>The interfaces by name.</summary>
    public CanInterfaceRegistry Registry { get; init; } = CanInterfaceRegistry.Default;

    /// <summary>The environment and config file sources (python-can's precedence).</summary>
    public BusConfigurationLoader ConfigurationLoader { get; init; } = BusConfigurationLoader.Default;

    /// <summary>Colour choice from the environment: <c>NO_COLOR</c> turns colours off.</summary>
    public bool NoColorRequested { get; init; }

    /// <summary>The context of this process: standard streams, the console, the real environment.</summary>
    /// <returns>The context.</returns>
    public static CliContext CreateForProcess()
    {
        // On Unix a FileStream over fd 1, not Console.OpenStandardOutput(): the console stream ignores EPIPE, so a command
        // whose reader went away (canudp dump | head -2) would never notice.
        var stdoutStream = OperatingSystem.IsWindows()
            ? System.Console.OpenStandardOutput()
            : new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
        var stdout = new Output.ClosableOutput(new StreamWriter(stdoutStream, new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = false });
        var stderr = new StreamWriter(System.Console.OpenStandardError(), new System.Text.UTF8Encoding(false), 1 << 12) { AutoFlush = true };
        var outputIsTerminal = !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
        });
        return new CliContext
        {
            Out = stdout,
            OutputClosed = stdout.Closed,
            Error = stderr,
            In = System.Console.In,
            Console = console,
            OutputIsTerminal = outputIsTerminal,
            Keys = System.Console.IsInputRedirected ? NoKeys.Instance : new ConsoleKeySource(),
            NoColorRequested = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")),
        };
    }
}
