namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>
/// How the orchestrator starts one of its .NET benchmark processes: <see cref="FileName"/>, then
/// <see cref="Arguments"/>, then the role's own arguments (<c>ROLE IMPL --key value ...</c>). The process so started
/// must hand those role arguments to <see cref="LoopbackHarness.RunRole"/>: the harness's executable does when its
/// first argument is a role.
/// </summary>
/// <param name="FileName">The executable (an apphost, or <c>dotnet</c>).</param>
/// <param name="Arguments">What comes before the role arguments (the entry assembly under <c>dotnet</c>, a command name).</param>
public sealed record RoleLauncher(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// Starts this same program again: this process's executable, plus <paramref name="entryAssemblyPath"/> when
    /// that executable is the <c>dotnet</c> host (<c>dotnet app.dll</c>), then <paramref name="arguments"/>.
    /// </summary>
    /// <param name="entryAssemblyPath">The program's main assembly (its <c>.dll</c>).</param>
    /// <param name="arguments">Arguments that select the role entry point (none for the harness's executable).</param>
    /// <returns>The launcher.</returns>
    /// <exception cref="InvalidOperationException">The process path is unknown.</exception>
    public static RoleLauncher ForThisProgram(string entryAssemblyPath, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(entryAssemblyPath);
        ArgumentNullException.ThrowIfNull(arguments);
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown, so its benchmark processes cannot be started");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? new RoleLauncher(process, [entryAssemblyPath, .. arguments])
            : new RoleLauncher(process, arguments);
    }
}
