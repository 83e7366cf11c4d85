using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GenRM.Tests;

/// <summary>A chart in a rendered page: whether plotly.js drew it (its div gains the class js-plotly-plot) and how many traces it drew.</summary>
internal sealed record DrawnChart(string Id, bool Drawn, int Traces);

/// <summary>A page as a browser leaves it once its scripts have run: the live DOM and what the console printed.</summary>
internal sealed partial record RenderedPage(string Dom, IReadOnlyList<string> Console)
{
    /// <summary>Each div whose id starts with <paramref name="idPrefix"/>, in page order, with what was drawn in it.</summary>
    public IReadOnlyList<DrawnChart> Charts(string idPrefix)
    {
        var starts = Regex.Matches(Dom, $"<div id=\"({Regex.Escape(idPrefix)}[^\"]*)\"([^>]*)>").ToArray();
        return [.. starts.Select((m, i) =>
        {
            string inside = Dom[m.Index..(i + 1 < starts.Length ? starts[i + 1].Index : Dom.Length)];
            return new DrawnChart(m.Groups[1].Value, m.Groups[2].Value.Contains("js-plotly-plot", StringComparison.Ordinal), DrawnTrace().Count(inside));
        })];
    }

    /// <summary>The page's text as a reader sees it: no scripts, styles or tags, entities decoded.</summary>
    public string VisibleText => System.Net.WebUtility.HtmlDecode(Tag().Replace(ScriptOrStyle().Replace(Dom, " "), " "));

    /// <summary>
    /// The number of traces with data of each Plotly figure a page's source carries (each chart's
    /// script holds "var figure = {...};"), in page order: what a browser should draw (plotly.js draws
    /// nothing for a trace without points, as a chart of data that is absent has).
    /// </summary>
    public static IReadOnlyList<int> FigureTraces(string sourceHtml) =>
        [.. SourceFigure().Matches(sourceHtml).Select(m => System.Text.Json.JsonDocument.Parse(m.Groups[1].Value).RootElement.GetProperty("data")
            .EnumerateArray().Count(trace => new[] { "x", "y" }.Any(axis => trace.TryGetProperty(axis, out var points) && points.GetArrayLength() > 0)))];

    [GeneratedRegex("<g class=\"trace ")]
    private static partial Regex DrawnTrace();

    [GeneratedRegex("<(script|style)\\b.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("var figure = (\\{.*?\\});\n", RegexOptions.Singleline)]
    private static partial Regex SourceFigure();
}

/// <summary>
/// Opens a local page in headless Chromium, the browser a reader opens a report or an nbconvert page
/// in, with every host name unresolvable (so the page must draw from what it carries), lets its
/// scripts finish, and returns the DOM they leave and the console's messages (a script error shows as
/// "Uncaught ..."). tools/install-prerequisites.sh installs Debian's chromium; without it the
/// calling test skips and says so.
/// </summary>
internal static partial class HeadlessChromium
{
    static readonly string? Browser = new[] { "chromium", "chromium-browser", "google-chrome" }
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);

    /// <summary>
    /// Opens <paramref name="htmlPath"/> and asserts that each div whose id starts with
    /// <paramref name="idPrefix"/> was drawn by plotly.js with every trace of its figure that has
    /// points, and that nothing reached the console. Returns the page for further checks.
    /// </summary>
    public static RenderedPage RenderWithEveryFigureDrawn(string htmlPath, string idPrefix)
    {
        RenderedPage page = Render(htmlPath);
        Assert.Empty(page.Console);
        IReadOnlyList<DrawnChart> charts = page.Charts(idPrefix);
        Assert.NotEmpty(charts);
        Assert.All(charts, c => Assert.True(c.Drawn, $"{htmlPath}: {c.Id} was not drawn by plotly.js"));
        Assert.Equal(RenderedPage.FigureTraces(File.ReadAllText(htmlPath)), charts.Select(c => c.Traces));
        return page;
    }

    /// <summary>The page at <paramref name="htmlPath"/> after its scripts ran (at most 30 s of the page's time).</summary>
    public static RenderedPage Render(string htmlPath)
    {
        Skip.If(Browser is null, "No chromium on PATH (tools/install-prerequisites.sh installs it): skipping the browser test.");
        using var profile = new TempDirectory();
        var start = new ProcessStartInfo(Browser!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        foreach (string argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={profile.Path}",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,2000", "--virtual-time-budget=30000",
            "--enable-logging=stderr", "--v=0", "--dump-dom", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri])
            start.ArgumentList.Add(argument);

        using var browser = Process.Start(start)!;
        var error = browser.StandardError.ReadToEndAsync();
        string dom = browser.StandardOutput.ReadToEnd();
        if (!browser.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            browser.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish rendering {htmlPath} in 2 minutes");
        }
        Assert.True(dom.Contains("</html>", StringComparison.OrdinalIgnoreCase), $"chromium gave no page for {htmlPath}: {error.Result[^Math.Min(2000, error.Result.Length)..]}");
        return new RenderedPage(dom, [.. ConsoleLine().Matches(error.Result).Select(m => m.Groups[1].Value)]);
    }

    // Chromium logs each console message as: [pid:tid:time:INFO:CONSOLE:line] "message", source: url (line)
    [GeneratedRegex("""CONSOLE[^\]]*\] "(.*)", source: """)]
    private static partial Regex ConsoleLine();
}
