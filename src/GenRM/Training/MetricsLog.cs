using System.Text.Json;
using System.Text.Json.Nodes;
using GenRM.IO;

namespace GenRM.Training;

/// <summary>
/// Training metrics as JSON lines, one object per optimizer step (<c>step</c>, <c>loss</c>,
/// <c>learning_rate</c>, <c>tokens_per_second</c>, and trainer-specific keys such as
/// <c>rewards/chosen</c>), flushed line by line so a stopped run keeps what it logged.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    readonly StreamWriter? writer;

    /// <summary>Rows logged by this run (including those kept from before a resume).</summary>
    public List<IReadOnlyDictionary<string, double>> Rows { get; } = [];

    /// <summary>Opens <paramref name="path"/> (null keeps metrics in memory only), keeping the rows of steps up to <paramref name="keepThroughStep"/>.</summary>
    public MetricsLog(string? path, int keepThroughStep)
    {
        if (path is null) return;
        if (File.Exists(path))
        {
            string[] lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(lines[i])) continue;
                Dictionary<string, double>? row;
                try
                {
                    row = JsonSerializer.Deserialize<Dictionary<string, double>>(lines[i]);
                }
                // A run killed mid-write leaves its last line torn; that step is redone after the resume.
                catch (JsonException) when (i == lines.Length - 1)
                {
                    continue;
                }
                catch (JsonException e)
                {
                    throw BadInputException.About(path, $"line {i + 1} is not a metrics row ({e.Message}).");
                }
                if (row is null) throw BadInputException.About(path, "a metrics line is not an object.");
                if (row.TryGetValue("step", out double step) && step <= keepThroughStep) Rows.Add(row);
            }
        }
        // Rewrite the kept rows first, so a resumed run's log equals an uninterrupted one's.
        byte[] kept = System.Text.Encoding.UTF8.GetBytes(string.Concat(Rows.Select(r => Serialize(r) + "\n")));
        AtomicWrite.File(path, stream => stream.Write(kept));
        writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public void Append(IReadOnlyDictionary<string, double> row)
    {
        Rows.Add(row);
        writer?.WriteLine(Serialize(row));
    }

    static string Serialize(IReadOnlyDictionary<string, double> row)
    {
        var json = new JsonObject();
        foreach (var (key, value) in row) json[key] = value;
        return json.ToJsonString();
    }

    public void Dispose() => writer?.Dispose();
}
