using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace CanUdpMulticast.Network.Tests.Support;

/// <summary>
/// One run of a python-can script (tests/CanUdpMulticast.Network.Tests/python) under Debian's <c>/usr/bin/python3</c>
/// with python-can 4.1.0: stdout lines are collected as they come, stderr is kept for failure messages.
/// </summary>
public sealed class PythonCanProcess : IDisposable
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Problem = new(FindProblem);

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private string? _pushedBack;

    private PythonCanProcess(string script, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "python", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

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

    /// <summary>What python printed on stderr so far.</summary>
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

    /// <summary>Skips the test (fails under CI=true) when python-can 4.x is not installed for /usr/bin/python3.</summary>
    public static void RequirePythonCan()
    {
        if (Problem.Value is not { } problem)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"python-can is required under CI=true: {problem}");
        }

        Skip.If(true, $"python-can unavailable: {problem} (apt-get install python3-can python3-msgpack)");
    }

    /// <summary>Starts a script.</summary>
    /// <param name="script">The file name in the python folder.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The running process.</returns>
    public static PythonCanProcess Start(string script, params string[] arguments) => new(script, arguments);

    /// <summary>Writes a line to the script's stdin.</summary>
    /// <param name="line">The line.</param>
    public void WriteLine(string line) => _process.StandardInput.WriteLine(line);

    /// <summary>Closes the script's stdin.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>The next stdout line, or <see langword="null"/> when none came in time or the output ended.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The line.</returns>
    public string? ReadLine(TimeSpan timeout)
    {
        if (_pushedBack is { } pushed)
        {
            _pushedBack = null;
            return pushed;
        }

        return _lines.TryTake(out var line, timeout) ? line : null;
    }

    /// <summary>Returns a line to the front, so the next <see cref="ReadLine"/> gets it again.</summary>
    /// <param name="line">The line.</param>
    public void PushBack(string line) => _pushedBack = line;

    /// <summary>Waits for a line that starts with <paramref name="prefix"/>; fails with python's stderr if it does not come.</summary>
    /// <param name="prefix">The expected start.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The line.</returns>
    public string ExpectLine(string prefix, TimeSpan timeout)
    {
        var line = ReadLine(timeout);
        if (line is null || !line.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"python-can printed '{line ?? "(nothing)"}' instead of '{prefix}...'. stderr: {StandardError}");
        }

        return line;
    }

    /// <summary>Waits for the script to end and returns its exit code.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The exit code.</returns>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"python-can did not finish in {timeout}. stderr: {StandardError}");
        }

        _process.WaitForExit(); // flushes the asynchronous output readers
        return _process.ExitCode;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(); // only the process this object started
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _lines.Dispose();
    }

    private static string? FindProblem()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} does not exist";
        }

        try
        {
            using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import can, msgpack; print(can.__version__)"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = check.StandardOutput.ReadToEnd().Trim();
            check.WaitForExit();
            return check.ExitCode == 0 && output.StartsWith('4') ? null : $"'import can' gave '{output}' (exit {check.ExitCode})";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return ex.Message;
        }
    }
}
