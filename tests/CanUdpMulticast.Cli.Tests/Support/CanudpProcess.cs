using System.Diagnostics;
using System.Text;

namespace CanUdpMulticast.Cli.Tests.Support;

/// <summary>
/// Runs the real <c>canudp</c> executable as a child process (as a user would), with its output captured. Inside
/// scripts/test.sh the test host, and so the child, runs in the private network namespace.
/// </summary>
public sealed class CanudpProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    private CanudpProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The canudp.dll next to the test assembly (the test project references the tool).</summary>
    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "canudp.dll");

    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static CanudpProcess Start(params string[] args) => Start(new Dictionary<string, string?>(), args);

    /// <summary>Starts canudp with changes to the inherited environment (a <see langword="null"/> value removes the variable).</summary>
    public static CanudpProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        // Through env(1) on Linux: a test host started with SIGINT ignored (a background job of a non-interactive shell)
        // hands that on, the runtime then keeps it ignored, and the Ctrl+C tests hung until their timeout.
        var start = new ProcessStartInfo(OperatingSystem.IsLinux() ? "env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (OperatingSystem.IsLinux())
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A clean configuration: no CAN_* variables from the test environment, no colours.
        foreach (var name in new[] { "CAN_INTERFACE", "CAN_CHANNEL", "CAN_BITRATE", "CAN_CONFIG" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return new CanudpProcess(Process.Start(start)!);
    }

    /// <summary>Runs to the end.</summary>
    public static Task<(int Exit, string Out, string Error)> RunAsync(TimeSpan timeout, params string[] args) =>
        RunAsync(timeout, new Dictionary<string, string?>(), args);

    /// <summary>Runs to the end with changes to the inherited environment (see <see cref="Start(IReadOnlyDictionary{string, string?}, string[])"/>).</summary>
    public static async Task<(int Exit, string Out, string Error)> RunAsync(TimeSpan timeout, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(environment, args);
        var exit = await process.WaitForExitAsync(timeout);
        return (exit, process.Out, process.Error);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"canudp did not exit within {timeout}.\nout: {Out}\nerr: {Error}");
        }

        _process.WaitForExit();   // flushes the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>Waits until stdout or stderr contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Out.Contains(text, StringComparison.Ordinal) && !Error.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"canudp did not print '{text}'.\nout: {Out}\nerr: {Error}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sb)
        {
            sb.Append(line).Append('\n');
        }
    }
}
