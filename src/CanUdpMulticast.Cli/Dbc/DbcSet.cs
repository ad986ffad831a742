using System.Diagnostics.CodeAnalysis;
using CanUdpMulticast.Dbc;

namespace CanUdpMulticast.Cli.Dbc;

/// <summary>The databases of the <c>--dbc</c> options: a frame is decoded by the first that knows its id.</summary>
internal sealed class DbcSet(IReadOnlyList<DbcDatabase> databases)
{
    /// <summary>The databases in command-line order.</summary>
    public IReadOnlyList<DbcDatabase> Databases { get; } = databases;

    /// <summary>Every message of every database, in order.</summary>
    public IEnumerable<DbcMessage> Messages => Databases.SelectMany(d => d.Messages);

    /// <summary>Decodes a frame with the first database that defines its id.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="decoded">The decoded message.</param>
    /// <returns>Whether a database knows the frame.</returns>
    public bool TryDecode(in CanMessage frame, [NotNullWhen(true)] out DecodedMessage? decoded)
    {
        foreach (var db in Databases)
        {
            decoded = db.Decode(frame);
            if (decoded is not null)
            {
                return true;
            }
        }

        decoded = null;
        return false;
    }

    /// <summary>Finds a message by name in the first database that has it.</summary>
    /// <param name="name">The message name.</param>
    /// <returns>The message.</returns>
    /// <exception cref="UsageException">No database defines it.</exception>
    public DbcMessage GetMessage(string name)
    {
        foreach (var db in Databases)
        {
            if (db.TryGetMessage(name, out var message))
            {
                return message;
            }
        }

        throw new UsageException($"No DBC database defines a message '{name}'.");
    }
}
