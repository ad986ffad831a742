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
        registry.Register(CanLogFormat.ForStreams(
            "candump log",
            [".log"],
            (stream, leaveOpen, name, options) => new CanutilsReader(CanLogFile.FromStream(stream, leaveOpen, name), options),
            (stream, leaveOpen, options) => new CanutilsWriter(CanLogFile.FromStream(stream, leaveOpen), options)));
        registry.Register(CanLogFormat.ForStreams(
            "Vector ASC",
            [".asc"],
            (stream, leaveOpen, name, options) => new AscReader(CanLogFile.FromStream(stream, leaveOpen, name), options),
            (stream, leaveOpen, options) => new AscWriter(CanLogFile.FromStream(stream, leaveOpen), options)));
        registry.Register(CanLogFormat.ForStreams(
            "python-can CSV",
            [".csv"],
            (stream, leaveOpen, name, options) => new CsvReader(CanLogFile.FromStream(stream, leaveOpen, name), options),
            (stream, leaveOpen, options) => new CsvWriter(CanLogFile.FromStream(stream, leaveOpen), options)));
        registry.Register(CanLogFormat.ForStreams(
            "PEAK TRC",
            [".trc"],
            (stream, leaveOpen, name, options) => new TrcReader(CanLogFile.FromStream(stream, leaveOpen, name), options),
            (stream, leaveOpen, options) => new TrcWriter(CanLogFile.FromStream(stream, leaveOpen), options)));
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
}
