using GenRM.Reporting;

namespace GenRM.Tests.Reporting;

/// <summary>The report as a reader sees it: opened in headless Chromium with the network refused.</summary>
public sealed class ReportInBrowserTests : IDisposable
{
    readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [SkippableFact]
    public void EveryChartDrawsWithAllItsTracesAndNoScriptError()
    {
        string path = dir.File("report.html");
        ReportWriter.Write(path, SampleStudy.Build());
        HeadlessChromium.RenderWithEveryFigureDrawn(path, "chart-");
    }

    [SkippableFact]
    public void AChartWithNoDataIsDrawnSayingSo()
    {
        string path = dir.File("empty.html");
        using (var page = new StreamWriter(path))
        {
            page.Write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n");
            PlotlyPage.WriteLibraryScript(page);
            PlotlyPage.WriteChart(page, "chart-1", GenRM.Data.PreferenceCharts.Lengths([], "Real sets: response lengths"));
            page.Write("</body></html>");
        }

        RenderedPage rendered = HeadlessChromium.RenderWithEveryFigureDrawn(path, "chart-");

        Assert.Contains("no pairs", rendered.VisibleText, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void AChartWhoseScriptFailsIsSeenUndrawnWithTheErrorOnTheConsole()
    {
        string path = dir.File("broken.html");
        File.WriteAllText(path, ReportWriter.Html(SampleStudy.Build()).Replace("Plotly.newPlot(\"chart-2\"", "Plotly.newPlott(\"chart-2\"", StringComparison.Ordinal));

        RenderedPage page = HeadlessChromium.Render(path);

        Assert.Contains(page.Console, m => m.Contains("Uncaught TypeError", StringComparison.Ordinal) && m.Contains("newPlott", StringComparison.Ordinal));
        var charts = page.Charts("chart-");
        Assert.Equal([true, false, true, true, true, true], charts.Select(c => c.Drawn));
        Assert.Equal(0, charts[1].Traces);
    }
}
