using System.CommandLine;
using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Cli.Dbc;

/// <summary>The <c>--dbc FILE</c> option (repeatable) and loading its databases.</summary>
internal static class DbcOptions
{
    /// <summary>Creates the option.</summary>
    /// <param name="required">Whether the command needs at least one database.</param>
    /// <returns>The option.</returns>
    public static Option<string[]> Create(bool required = false) => new("--dbc")
    {
        Description = required
            ? "DBC database to decode and encode with (repeatable)"
            : "Decode frames with this DBC database (repeatable): signals with physical values, units and choices",
        HelpName = "file",
        Required = required,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Loads the databases; reports parser warnings (counted, the first few shown) on stderr unless quiet.</summary>
    /// <param name="paths">The files; empty for none.</param>
    /// <param name="context">The CLI context.</param>
    /// <param name="quiet">Whether to stay silent.</param>
    /// <param name="command">The command name for messages.</param>
    /// <returns>The databases, or <see langword="null"/> when no file was given.</returns>
    public static DbcSet? Load(string[]? paths, CliContext context, bool quiet, string command)
    {
        if (paths is not { Length: > 0 })
        {
            return null;
        }

        var databases = new List<DbcDatabase>();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"{command}: the DBC file '{path}' does not exist.");
            }

            var db = DbcDatabase.Load(path);
            if (!quiet && db.Warnings.Count > 0)
            {
                context.Error.WriteLine($"{command}: {path}: {db.Warnings.Count} line(s) skipped, e.g. {string.Join("; ", db.Warnings.Take(3))}");
            }

            databases.Add(db);
        }

        return new DbcSet(databases);
    }
}
