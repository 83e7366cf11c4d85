using System.Globalization;
using System.Text;
using System.Text.Json;
using GenRM.IO;
using Microsoft.Data.Analysis;

namespace GenRM.Evaluation;

/// <summary>Result rows gathered over a run, written as results.json, as CSV, or viewed as a <see cref="DataFrame"/>.</summary>
public sealed class ResultTable
{
    static readonly string[] CsvHeader = ["method", "section", "accuracy", "n", "ci95_low", "ci95_high"];
    readonly List<ResultRow> rows = [];

    public IReadOnlyList<ResultRow> Rows => rows;

    public void Add(ResultRow row) => rows.Add(row ?? throw new ArgumentNullException(nameof(row)));

    public void AddRange(IEnumerable<ResultRow> newRows) => rows.AddRange(newRows);

    /// <summary>The whole results.json document (DESIGN.md schema), indented.</summary>
    public string ToResultsJson(RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteRun(json, run, rows);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes results.json atomically.</summary>
    public void WriteResultsJson(string path, RunInfo run) => AtomicWrite.WriteAllText(path, ToResultsJson(run));

    /// <summary>CSV with a header: method, section, accuracy, n, ci95_low, ci95_high (invariant culture).</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder().AppendJoin(',', CsvHeader).Append('\n');
        foreach (ResultRow row in rows)
            csv.AppendJoin(',', Quote(row.Method), Quote(row.Section), Number(row.Accuracy), row.N.ToString(CultureInfo.InvariantCulture),
                Number(row.Ci95.Low), Number(row.Ci95.High)).Append('\n');
        return csv.ToString();
    }

    /// <summary>Writes the CSV atomically.</summary>
    public void WriteCsv(string path) => AtomicWrite.WriteAllText(path, ToCsv());

    /// <summary>One row per result: method, section, accuracy, n, ci95_low, ci95_high.</summary>
    public DataFrame ToDataFrame() => new(
        new StringDataFrameColumn("method", rows.Select(r => r.Method)),
        new StringDataFrameColumn("section", rows.Select(r => r.Section)),
        new DoubleDataFrameColumn("accuracy", rows.Select(r => r.Accuracy)),
        new Int32DataFrameColumn("n", rows.Select(r => r.N)),
        new DoubleDataFrameColumn("ci95_low", rows.Select(r => r.Ci95.Low)),
        new DoubleDataFrameColumn("ci95_high", rows.Select(r => r.Ci95.High)));

    /// <summary>The run fields and the rows of DESIGN.md's schema, inside an object being written.</summary>
    internal static void WriteRun(Utf8JsonWriter json, RunInfo run, IEnumerable<ResultRow> rows)
    {
        json.WriteString("preset", run.Preset);
        json.WriteNumber("seed", run.Seed);
        json.WriteString("device", run.Device);
        json.WriteString("started", run.Started);
        json.WriteNumber("seconds", run.Seconds);
        WriteRows(json, "rows", rows);
    }

    /// <summary>An array of result rows named <paramref name="name"/>.</summary>
    internal static void WriteRows(Utf8JsonWriter json, string name, IEnumerable<ResultRow> rows)
    {
        json.WriteStartArray(name);
        foreach (ResultRow row in rows)
            WriteRow(json, row);
        json.WriteEndArray();
    }

    static void WriteRow(Utf8JsonWriter json, ResultRow row)
    {
        json.WriteStartObject();
        json.WriteString("method", row.Method);
        json.WriteString("section", row.Section);
        WriteNumber(json, "accuracy", row.Accuracy);
        json.WriteNumber("n", row.N);
        json.WriteStartArray("ci95");
        json.WriteNumberValue(row.Ci95.Low);
        json.WriteNumberValue(row.Ci95.High);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    // JSON has no NaN: a section with no items is written as null.
    static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
            json.WriteNumber(name, value);
        else
            json.WriteNull(name);
    }

    static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
