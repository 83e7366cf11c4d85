using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GenRM.Tests.Notebooks;

/// <summary>The repository's notebooks, and minimal notebooks written by tests.</summary>
internal static class NotebookFiles
{
    public static string Folder { get; } = Path.Combine(TestPaths.RepositoryRoot, "notebooks");

    public static IReadOnlyList<string> All() => [.. Directory.GetFiles(Folder, "*.ipynb").Order(StringComparer.Ordinal)];

    /// <summary>
    /// Library calls that train, sample or judge (a STaR loop is its constructor's <c>).Run(</c>): minutes at
    /// the default scale, so a cell making one must show its progress and stop with the cell.
    /// </summary>
    public static readonly Regex LongWork = new(@"\b(JudgeEvaluation\.(Run|PositionBias)|SharedStudy\.Run)\(|\.Train\(|\)\.Run\(");

    /// <summary>The source of each code cell of <paramref name="notebook"/> (a file name in <see cref="Folder"/>), in order.</summary>
    public static string[] CodeCells(string notebook)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, notebook)));
        return [.. document.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())))];
    }

    /// <summary>A .ipynb (nbformat 4.5, cells with ids) with the given (kind, source) cells and the .net-csharp kernel's metadata.</summary>
    public static string Minimal(params (string Kind, string Source)[] cells)
    {
        var array = new JsonArray();
        foreach (var (kind, source) in cells)
        {
            var cell = new JsonObject { ["cell_type"] = kind, ["id"] = $"cell-{array.Count + 1}", ["metadata"] = new JsonObject(), ["source"] = source };
            if (kind == "code")
            {
                cell["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } };
                cell["execution_count"] = null;
                cell["outputs"] = new JsonArray();
            }
            array.Add(cell);
        }
        var notebook = new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "C#" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
