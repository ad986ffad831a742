using CanUdpMulticast.IO.Asc;
using CanUdpMulticast.IO.Blf;
using CanUdpMulticast.IO.Canutils;
using CanUdpMulticast.IO.Csv;
using CanUdpMulticast.IO.Trc;
using CanUdpMulticast.Notifications;

namespace CanUdpMulticast.IO;

/// <summary>
/// The one place that names the built-in log formats (python-can's <c>MESSAGE_READERS</c>/<c>MESSAGE_WRITERS</c>):
/// the registry knows them through these explicit calls, no reflection. SQLite (<c>.db</c>) lives in the separate
/// package <c>CanUdpMulticast.Sqlite</c> (it brings a native library) and registers itself with <c>SqliteLogFormat.Register()</c>.
/// </summary>
internal static class BuiltInLogFormats
{
    public static void RegisterAll(CanLogFormatRegistry registry)
    {
        registry.Register(Text("candump log", ".log", (file, options) => new CanutilsReader(file, options), (file, options) => new CanutilsWriter(file, options)));
        registry.Register(Text("Vector ASC", ".asc", (file, options) => new AscReader(file, options), (file, options) => new AscWriter(file, options)));
        registry.Register(Text("python-can CSV", ".csv", (file, options) => new CsvReader(file, options), (file, options) => new CsvWriter(file, options)));
        registry.Register(Text("PEAK TRC", ".trc", (file, options) => new TrcReader(file, options), (file, options) => new TrcWriter(file, options)));
        registry.Register(CanLogFormat.ForStreams(
            "Vector BLF",
            [".blf"],
            (stream, leaveOpen, name, options) => new BlfReader(CanLogFile.FromStream(stream, leaveOpen, name), BlfReaderOptions.From(options)),
            (stream, leaveOpen, options) => new BlfWriter(CanLogFile.FromStream(stream, leaveOpen), BlfWriterOptions.From(options)),
            supportsGzip: false));
        registry.Register(CanLogFormat.ForStreams(
            "python-can printer text",
            [".txt"],
            reader: null,
            (stream, leaveOpen, options) => new Printer(stream, options, leaveOpen)));
    }

    // A text format: its reader and writer over the registry's (possibly gzip) stream.
    private static CanLogFormat Text(
        string name,
        string extension,
        Func<CanLogFile, CanLogReaderOptions, ICanLogReader> reader,
        Func<CanLogFile, CanLogWriterOptions, ICanLogWriter> writer) =>
        CanLogFormat.ForStreams(
            name,
            [extension],
            (stream, leaveOpen, sourceName, options) => reader(CanLogFile.FromStream(stream, leaveOpen, sourceName), options),
            (stream, leaveOpen, options) => writer(CanLogFile.FromStream(stream, leaveOpen), options));
}
