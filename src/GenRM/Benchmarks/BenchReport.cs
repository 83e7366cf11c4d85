using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenRM.IO;

namespace GenRM.Benchmarks;

/// <summary>One measured figure: a key (every ratio's key contains <c>_ratio_</c>), its value, its unit, and what it is.</summary>
public sealed record BenchFigure(string Key, double Value, string Unit, string Description);

/// <summary>The figures of one bench run, in the order measured, with what they were measured on.</summary>
public sealed record BenchReport(BenchConfig Config, IReadOnlyDictionary<string, string> Context, IReadOnlyList<BenchFigure> Figures)
{
    /// <summary>The value of <paramref name="key"/>.</summary>
    public double this[string key] => Figures.First(f => f.Key == key).Value;

    /// <summary>The JSON document <c>genrm bench --out</c> writes: config, context, and a flat <c>figures</c> object.</summary>
    public JsonObject ToJson()
    {
        var figures = new JsonObject();
        var units = new JsonObject();
        foreach (BenchFigure figure in Figures)
        {
            figures[figure.Key] = figure.Value;
            units[figure.Key] = figure.Unit;
        }
        var context = new JsonObject();
        foreach (var (key, value) in Context) context[key] = value;
        return new JsonObject
        {
            ["config"] = JsonSerializer.SerializeToNode(Config),
            ["context"] = context,
            ["figures"] = figures,
            ["units"] = units,
        };
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically.</summary>
    public void Write(string path) =>
        AtomicWrite.WriteAllText(path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>A plain-text table: one figure per line, then the context.</summary>
    public string Table()
    {
        int width = Figures.Max(f => f.Key.Length);
        var text = new StringBuilder();
        foreach (BenchFigure f in Figures)
            text.AppendLine(CultureInfo.InvariantCulture, $"{f.Key.PadRight(width)}  {Format(f.Value),12}  {f.Unit,-10}  {f.Description}");
        foreach (var (key, value) in Context)
            text.AppendLine(CultureInfo.InvariantCulture, $"{key}: {value}");
        return text.ToString();
    }

    static string Format(double value) => value switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("F3", CultureInfo.InvariantCulture),
    };
}
