using System.Text.RegularExpressions;
using System.Xml.Linq;
using GenRM.Evaluation;
using GenRM.Reporting;

namespace GenRM.Tests.Notebooks;

/// <summary>
/// A figure's three renditions agree: the Plotly JSON, the static SVG (bars where the values are, every
/// series in the legend) and the notebook HTML (the SVG inside, plotly.js embedded once per process).
/// </summary>
public sealed class FigureRenditionTests
{
    static readonly PlotlyFigure Bars = new()
    {
        Title = "two <series> & a gap",
        XTitle = "method",
        YTitle = "accuracy (%)",
        YRange = (0, 100),
        Traces =
        [
            new FigureTrace { Kind = TraceKind.Bars, Name = "first", Categories = ["a", "b"], Values = [50, 100], Color = "#1f77b4",
                ErrorAbove = [10, 0], ErrorBelow = [5, 0] },
            new FigureTrace { Kind = TraceKind.Bars, Name = "second", Categories = ["a", "b"], Values = [25, double.NaN], Color = "#ff7f0e" },
        ],
    };

    static XElement[] Rects(string svg, string color) =>
        [.. XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "rect" && (string?)e.Attribute("fill") == color && e.Attribute("width")?.Value != "14")];

    static double Number(XElement element, string name) => double.Parse(element.Attribute(name)!.Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void TheSvgIsWellFormedAndItsBarHeightsAreProportionalToTheValues()
    {
        string svg = Bars.ToSvg();

        XElement[] first = Rects(svg, "#1f77b4"), second = Rects(svg, "#ff7f0e");
        Assert.Equal(2, first.Length);
        Assert.Single(second); // NaN draws nothing
        Assert.Equal(2 * Number(first[0], "height"), Number(first[1], "height"), 1);
        Assert.Equal(Number(first[0], "height") / 2, Number(second[0], "height"), 1);
        // Both bars of one category sit side by side, not over each other.
        Assert.True(Number(second[0], "x") >= Number(first[0], "x") + Number(first[0], "width") - 0.01);
        Assert.Contains("two &lt;series&gt; &amp; a gap", svg, StringComparison.Ordinal);
        Assert.Contains(">first</text>", svg, StringComparison.Ordinal);
        Assert.Contains(">second</text>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void TheJsonEscapesMarkupWritesNaNAsNullAndCarriesTheErrorBars()
    {
        string json = Bars.ToJson();

        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        Assert.Contains("\"y\":[25,null]", json, StringComparison.Ordinal);
        Assert.Contains("\"error_y\":{\"type\":\"data\",\"symmetric\":false,\"visible\":true,\"array\":[10,0],\"arrayminus\":[5,0]}", json, StringComparison.Ordinal);
        Assert.Contains("\"range\":[0,100]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void NotebookHtmlHoldsTheSvgAndEmbedsPlotlyJsInTheFirstFigureOnly()
    {
        var first = new StringWriter();
        var second = new StringWriter();
        FigureNotebookDisplay.WriteHtml(Bars, first);
        FigureNotebookDisplay.WriteHtml(Bars, second);
        string all = first.ToString() + second;

        // Tests in this process may have displayed a figure already: plotly.js is in at most one of the two, and once.
        Assert.True(Regex.Count(all, Regex.Escape("plotly.js v" + PlotlyPage.LibraryVersion)) <= 1);
        Assert.DoesNotContain("plotly.js v", second.ToString(), StringComparison.Ordinal);
        Assert.Contains(Bars.ToSvg(), second.ToString(), StringComparison.Ordinal);
        Assert.Contains("window.Plotly.newPlot(element, figure.data, figure.layout", second.ToString(), StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"<script[^>]*\bsrc\s*=", RegexOptions.IgnoreCase), all);
        string[] ids = [.. Regex.Matches(all, "<div id=\"(genrm-figure-[^\"]+)\"").Select(m => m.Groups[1].Value)];
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public void TheKernelFindsTheFormattersByConventionForBothMimeTypes()
    {
        var attribute = (TypeFormatterSourceAttribute)Attribute.GetCustomAttribute(typeof(PlotlyFigure), typeof(TypeFormatterSourceAttribute))!;
        Assert.Equal(["text/html", "image/svg+xml"], attribute.PreferredMimeTypes);

        var source = Activator.CreateInstance(attribute.FormatterSourceType)!;
        var formatters = (IEnumerable<object>)source.GetType().GetMethod("CreateTypeFormatters")!.Invoke(source, null)!;
        foreach (object formatter in formatters)
        {
            string mime = (string)formatter.GetType().GetProperty("MimeType")!.GetValue(formatter)!;
            var writer = new StringWriter();
            Assert.True((bool)formatter.GetType().GetMethod("Format", [typeof(object), typeof(TextWriter)])!.Invoke(formatter, [Bars, writer])!);
            Assert.Contains(mime == "image/svg+xml" ? "<svg" : "class=\"genrm-figure\"", writer.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LinesOnANumericAxisAndAnEmptyFigureRender()
    {
        var curve = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>>
        {
            ["bt"] = [new Dictionary<string, double> { ["step"] = 1, ["loss"] = 0.7 }, new Dictionary<string, double> { ["step"] = 2, ["loss"] = 0.5 }],
        };
        string svg = StudyCharts.TrainingCurves(curve).ToSvg();
        Assert.Single(XDocument.Parse(svg).Descendants(), e => e.Name.LocalName == "polyline");

        var fromZero = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>>
        {
            ["bt"] = [new Dictionary<string, double> { ["step"] = 1, ["loss"] = 0 }, new Dictionary<string, double> { ["step"] = 2, ["loss"] = 1 }],
        };
        string crossing = StudyCharts.TrainingCurves(fromZero).ToSvg();
        Assert.Contains(">0.0</text>", crossing, StringComparison.Ordinal);
        Assert.DoesNotContain(">-0.0</text>", crossing, StringComparison.Ordinal);

        XDocument.Parse(StudyCharts.Accuracy([]).ToSvg());
        XDocument.Parse(StudyCharts.PositionBias(new Dictionary<string, PositionBiasReport>()).ToSvg());
    }
}
