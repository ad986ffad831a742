using System.Text;
using CanUdpMulticast.IO;

namespace CanUdpMulticast.Tests.IO;

/// <summary>Helpers to read and write logs in memory.</summary>
internal static class LogText
{
    public static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));

    public static List<CanMessage> ReadAll(ICanLogReader reader)
    {
        using (reader)
        {
            return [.. reader];
        }
    }

    public static async Task<List<CanMessage>> ReadAllAsync(ICanLogReader reader)
    {
        await using (reader)
        {
            List<CanMessage> list = [];
            await foreach (var m in reader)
            {
                list.Add(m);
            }

            return list;
        }
    }

    public static string Write(Func<Stream, ICanLogWriter> create, IEnumerable<CanMessage> messages)
    {
        var stream = new MemoryStream();
        using (var writer = create(stream))
        {
            foreach (var m in messages)
            {
                writer.Write(m);
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
