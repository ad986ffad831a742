using System.Text;
using System.Text.Json;

namespace CanUdpMulticast.Harness.Orchestration;

/// <summary>Every run's raw numbers, for later analysis.</summary>
internal static class RunsJson
{
    public static string Write(MachineFacts facts, IReadOnlyList<RunRecord> runs)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("nproc", facts.ProcessorCount);
            json.WriteString("kernel", facts.Kernel);
            json.WriteString("cpu", facts.Cpu);
            json.WriteString("dotnet", facts.DotnetSdk);
            json.WriteString("runtime", facts.Runtime);
            json.WriteString("python_can", facts.PythonCan);
            json.WriteString("load_before", facts.LoadBefore);
            json.WriteString("load_after", facts.LoadAfter);
            json.WriteString("started", facts.Started);
            json.WriteStartArray("runs");
            foreach (var run in runs)
            {
                json.WriteStartObject();
                json.WriteString("scenario", run.Scenario);
                json.WriteString("system", run.System);
                json.WriteString("placement", run.Placement);
                json.WriteNumber("rep", run.Rep);
                if (run.Error is not null)
                {
                    json.WriteString("error", run.Error);
                }

                json.WriteStartObject("metrics");
                foreach (var (key, value) in run.Metrics)
                {
                    json.WriteNumber(key, value);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
