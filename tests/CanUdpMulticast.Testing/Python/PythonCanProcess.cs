using System.Diagnostics;

namespace CanUdpMulticast.Testing.Python;

/// <summary>
/// The one launcher of python-can for every test project: Debian's <c>/usr/bin/python3</c> with python-can 4.1
/// (python3-can, python3-msgpack). <see cref="Run"/> runs a script to its end and returns its output;
/// <see cref="Start"/> keeps it running, collecting stdout lines as they come and stderr for failure messages.
/// </summary>
public sealed class PythonCanProcess : IDisposable
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Problem = new(FindProblem);

    private readonly ChildProcess _process;
    private string? _pushedBack;

    private PythonCanProcess(string script, IEnumerable<string> arguments) =>
        _process = new ChildProcess(Python, [Path.IsPathRooted(script) ? script : Path.Combine(AppContext.BaseDirectory, "python", script), .. arguments]);

    /// <summary>What python printed on stderr so far.</summary>
    public string StandardError => _process.StandardError;

    /// <summary>Skips the test (fails under CI=true) when python-can 4.1 and msgpack are not installed for /usr/bin/python3.</summary>
    public static void RequirePythonCan() => ExternalRequirement.Require(Problem.Value is { } problem
        ? $"python-can 4.1 unavailable: {problem} (apt-get install python3-can python3-msgpack)"
        : null);

    /// <summary>Runs a script to its end and returns its standard output; throws with its error output when it fails or times out.</summary>
    /// <param name="script">The script's path.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="stdin">Written to its standard input (then closed), or <see langword="null"/>.</param>
    /// <param name="timeout">How long it may take (default 2 minutes).</param>
    /// <param name="environment">Variables to set (<see langword="null"/> values remove one), e.g. TZ.</param>
    /// <param name="workingDirectory">Its working directory, or this process's.</param>
    /// <returns>What it printed on stdout.</returns>
    public static string Run(
        string script,
        IEnumerable<string> arguments,
        string? stdin = null,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        var start = StartInfo(script, arguments);
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);   // only the process this call started
            throw new TimeoutException($"python {Path.GetFileName(script)} did not finish within {limit}: {string.Join(' ', arguments)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python {Path.GetFileName(script)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }

    /// <summary>Starts a script and keeps it running.</summary>
    /// <param name="script">The file name in the test's python output folder, or a full path.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The running process.</returns>
    public static PythonCanProcess Start(string script, params string[] arguments) => new(script, arguments);

    /// <summary>Writes a line to the script's stdin.</summary>
    /// <param name="line">The line.</param>
    public void WriteLine(string line) => _process.WriteLine(line);

    /// <summary>Closes the script's stdin.</summary>
    public void CloseInput() => _process.CloseInput();

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

        return _process.ReadLine(timeout);
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
    public int WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>The python process's id (e.g. to find its sockets under <c>/proc</c>).</summary>
    public int Id => _process.Id;

    /// <inheritdoc/>
    public void Dispose() => _process.Dispose();

    private static ProcessStartInfo StartInfo(string script, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
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
            return check.ExitCode == 0 && output.StartsWith("4.1.", StringComparison.Ordinal) ? null : $"'import can, msgpack' gave '{output}' (exit {check.ExitCode})";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return ex.Message;
        }
    }
}
