using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GenRM.Notebooks;

/// <summary>
/// The workbench's notebook scales. A notebook reads its scale from the <c>GENRM_SCALE</c> environment
/// variable (<see cref="Variable"/>), <c>default</c> when it is unset; the runner sets it.
/// </summary>
public static class NotebookScales
{
    public const string Smoke = "smoke";
    public const string Default = "default";
    public const string Paper = "paper";

    /// <summary>The environment variable the notebooks' parameter cell reads.</summary>
    public const string Variable = "GENRM_SCALE";

    public static IReadOnlyList<string> All { get; } = [Smoke, Default, Paper];
}

/// <summary>What running one code cell produced, read from the executed copy.</summary>
/// <param name="Number">1-based cell number, counting every cell (markdown too), as an editor shows them.</param>
/// <param name="Code">The cell's code.</param>
/// <param name="Displayed">How many outputs the cell has (displays, results, text).</param>
/// <param name="Charts">How many of them are workbench charts with both renditions: HTML drawn by plotly.js and a static SVG.</param>
/// <param name="Tables">How many of them are HTML tables.</param>
/// <param name="StandardError">Text on standard error (compiler warnings land here), empty when none.</param>
/// <param name="Error">The failure, or null when the cell ran.</param>
/// <param name="Seconds">Wall time of the cell.</param>
public sealed record CellResult(int Number, string Code, int Displayed, int Charts, int Tables, string StandardError, string? Error, double Seconds);

/// <summary>One notebook run: every executed code cell's result and where the executed copy was written.</summary>
public sealed record NotebookRun(string Notebook, string Scale, IReadOnlyList<CellResult> Cells, string ExecutedCopy, double Seconds)
{
    /// <summary>The first failed cell, or null.</summary>
    public CellResult? FirstFailure => Cells.FirstOrDefault(c => c.Error is not null);
}

/// <summary>A notebook cell failed: the message names the notebook and the cell.</summary>
public sealed class NotebookCellFailedException : Exception
{
    public NotebookCellFailedException() { }

    public NotebookCellFailedException(string message) : base(message) { }

    public NotebookCellFailedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The run up to and including the failed cell (null when built from a message alone).</summary>
    public NotebookRun? Run { get; init; }
}

/// <summary>
/// Runs a C# .ipynb the way a researcher's Jupyter does: Jupyter's own client (nbclient, from Debian's
/// python3-nbclient) starts the kernel the notebook names, the <c>.net-csharp</c> kernel of the
/// Microsoft.dotnet-interactive tool (tools/install-prerequisites.sh installs both), in the notebook's
/// folder, with <c>GENRM_SCALE</c> set; one cell at a time, stopping at the first failure, writing an
/// executed copy with every output.
/// </summary>
public static class NotebookRunner
{
    /// <summary>The Jupyter kernel the notebooks name (notebook metadata <c>kernelspec.name</c>).</summary>
    public const string Kernel = ".net-csharp";

    /// <summary>What the workbench's chart HTML carries (<c>FigureNotebookDisplay</c>).</summary>
    const string ChartMarker = "class=\"genrm-figure\"";

    /// <summary>
    /// Runs every cell of <paramref name="notebookPath"/> at <paramref name="scale"/> and writes the executed copy to
    /// <paramref name="executedCopyPath"/> (also after a failure, up to the failed cell). Throws
    /// <see cref="NotebookCellFailedException"/> naming the notebook and the cell when a cell fails, and
    /// <see cref="InvalidOperationException"/> when Jupyter or the kernel is not installed.
    /// </summary>
    public static async Task<NotebookRun> RunAsync(string notebookPath, string scale, string executedCopyPath,
        Action<CellResult>? onCell = null, TimeSpan? cellTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notebookPath);
        ArgumentNullException.ThrowIfNull(executedCopyPath);
        if (!NotebookScales.All.Contains(scale))
            throw new ArgumentException($"unknown scale '{scale}'; known: {string.Join(", ", NotebookScales.All)}", nameof(scale));
        string fullPath = Path.GetFullPath(notebookPath);
        string copy = Path.GetFullPath(executedCopyPath);
        string name = Path.GetFileName(fullPath);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Delete(copy);

        var start = new ProcessStartInfo(JupyterPython)
        {
            WorkingDirectory = Path.GetDirectoryName(fullPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "execute_notebook.py"), fullPath, copy, Kernel,
            ((int)(cellTimeout ?? TimeSpan.FromHours(2)).TotalSeconds).ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        start.Environment[NotebookScales.Variable] = scale;
        // `dotnet tool install -g` puts the kernel's command here; a login shell's PATH may not have it yet.
        string tools = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") + Path.PathSeparator + tools;

        var total = Stopwatch.StartNew();
        var timings = new List<(int Cell, double Seconds, string? Error)>();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith('{'))
                    continue;
                using JsonDocument report = JsonDocument.Parse(line);
                var timing = (report.RootElement.GetProperty("cell").GetInt32(), report.RootElement.GetProperty("seconds").GetDouble(),
                    report.RootElement.GetProperty("error").GetString());
                timings.Add(timing);
                // Live progress: the cell's number, time and failure (its outputs are read from the executed copy at the end).
                onCell?.Invoke(new CellResult(timing.Item1, "", 0, 0, 0, "", timing.Item3, timing.Item2));
            }
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode is not (0 or 1) || !File.Exists(copy))
            throw new InvalidOperationException($"{name}: Jupyter could not run it (exit {process.ExitCode}): {(await stderr.ConfigureAwait(false)).Trim()}");

        var cells = Read(copy, timings);
        var run = new NotebookRun(fullPath, scale, cells, copy, total.Elapsed.TotalSeconds);
        if (run.FirstFailure is { } failed)
            throw new NotebookCellFailedException($"{name}: cell {failed.Number} failed: {failed.Error}") { Run = run };
        return run;
    }

    /// <summary>The executed cells of an executed copy, with what each output.</summary>
    static List<CellResult> Read(string executedCopy, List<(int Cell, double Seconds, string? Error)> timings)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(executedCopy));
        JsonElement[] all = [.. document.RootElement.GetProperty("cells").EnumerateArray()];
        var cells = new List<CellResult>();
        foreach (var (number, seconds, error) in timings)
        {
            JsonElement cell = all[number - 1];
            JsonElement[] outputs = [.. cell.GetProperty("outputs").EnumerateArray()];
            string Html(JsonElement output) => output.TryGetProperty("data", out JsonElement data) && data.TryGetProperty("text/html", out JsonElement html) ? Text(html) : "";
            bool HasSvg(JsonElement output) => output.TryGetProperty("data", out JsonElement data) && data.TryGetProperty("image/svg+xml", out _);
            string standardError = string.Concat(outputs.Where(o => o.GetProperty("output_type").GetString() == "stream" && o.GetProperty("name").GetString() == "stderr")
                .Select(o => Text(o.GetProperty("text"))));
            cells.Add(new CellResult(number, Text(cell.GetProperty("source")), outputs.Length,
                outputs.Count(o => Html(o).Contains(ChartMarker, StringComparison.Ordinal) && HasSvg(o)),
                outputs.Count(o => Html(o).Contains("<table", StringComparison.Ordinal)),
                standardError, error, seconds));
        }
        return cells;
    }

    /// <summary>A notebook text field: a string, or a list of lines.</summary>
    static string Text(JsonElement value) => value.ValueKind == JsonValueKind.Array ? string.Concat(value.EnumerateArray().Select(l => l.GetString())) : value.GetString() ?? "";

    /// <summary>The Python that has Debian's Jupyter packages: GENRM_JUPYTER_PYTHON, else /usr/bin/python3 (a pyenv or venv python3 on PATH lacks them), else python3.</summary>
    public static string JupyterPython =>
        Environment.GetEnvironmentVariable("GENRM_JUPYTER_PYTHON") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}
