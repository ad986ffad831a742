using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CanUdpMulticast.Testing;

/// <summary>
/// A child process a test talks to (python-can, canudp, the fault battery's agent), optionally inside another network
/// namespace: stdout as lines as they come, stderr kept for messages, stdin writable; killed with its children on
/// dispose. The one launcher of the test projects (<see cref="Python.PythonCanProcess"/> runs python-can through it).
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly StringBuilder _stderr = new();

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> in the caller's namespace.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments, passed as they are (no shell).</param>
    public ChildProcess(string fileName, IEnumerable<string> arguments)
        : this(StartInfo(null, fileName, arguments))
    {
    }

    private ChildProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.CompleteAdding();
            }
            else
            {
                _lines.Add(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Everything the process wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="program"/> in the caller's namespace, or in <paramref name="netnsPath"/> through <c>nsenter</c>.</summary>
    /// <param name="netnsPath">A network namespace file (e.g. <c>/run/netns/NAME</c>), or <see langword="null"/>.</param>
    /// <param name="program">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The running process.</returns>
    public static ChildProcess Start(string? netnsPath, string program, IEnumerable<string> arguments) =>
        new(StartInfo(netnsPath, program, arguments));

    /// <summary>The next stdout line, or <see langword="null"/> when none came within the timeout or the output ended.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The line.</returns>
    public string? ReadLine(TimeSpan timeout) =>
        timeout >= TimeSpan.Zero && _lines.TryTake(out var line, timeout) ? line : null; // a negative timeout would wait forever

    /// <summary>Reads stdout lines until one starts with <paramref name="prefix"/> (earlier lines are passed over).</summary>
    /// <param name="prefix">The start of the awaited line.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The line.</returns>
    /// <exception cref="TimeoutException">No such line in time; the message carries stderr.</exception>
    public string ExpectLine(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ReadLine(deadline - DateTime.UtcNow) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new TimeoutException($"no line starting with '{prefix}' within {timeout.TotalSeconds} s (exited: {_process.HasExited}); stderr: {StandardError}");
    }

    /// <summary>Waits until stderr contains <paramref name="text"/>.</summary>
    /// <param name="text">The awaited text.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <exception cref="TimeoutException">It did not appear in time (or the process exited first).</exception>
    public void ExpectStandardError(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!StandardError.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"stderr did not show '{text}' within {timeout.TotalSeconds} s (exited: {_process.HasExited}); stderr: {StandardError}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Writes a line to the process's stdin and flushes it.</summary>
    /// <param name="line">The line.</param>
    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Closes stdin (end of input for the process).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the process to exit and for its output to be read to the end.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="TimeoutException">It did not exit in time; the message carries stderr.</exception>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"the process did not exit within {timeout.TotalSeconds} s; stderr: {StandardError}");
        }

        _process.WaitForExit(); // with a timeout it does not wait for the redirected output to be read to its end
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, by this process's own handle (never by name).</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    /// <summary>Asks the process to stop as Ctrl+C would (SIGINT via kill(1) on its own pid).</summary>
    public void Interrupt()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    /// <summary>Kills the process and its children if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        _process.Dispose();
        _lines.Dispose();
    }

    private static ProcessStartInfo StartInfo(string? netnsPath, string program, IEnumerable<string> arguments)
    {
        // Through env(1) on Linux: a test host started with SIGINT ignored (a background job of a non-interactive shell)
        // hands that on, and a child that keeps it ignored never answers Interrupt.
        var start = netnsPath is null ? new ProcessStartInfo(OperatingSystem.IsLinux() ? "env" : program) : new ProcessStartInfo("nsenter");
        if (netnsPath is not null)
        {
            start.ArgumentList.Add("--net=" + netnsPath);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add("env");
        }

        if (netnsPath is not null || OperatingSystem.IsLinux())
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
