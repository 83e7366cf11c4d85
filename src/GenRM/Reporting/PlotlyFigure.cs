using System.Text;
using System.Text.Json;

namespace GenRM.Reporting;

/// <summary>How a series is drawn.</summary>
public enum TraceKind
{
    /// <summary>Columns (grouped beside the other column series, or overlaid when the figure says so).</summary>
    Bars,

    /// <summary>A line through the points, with markers when asked.</summary>
    Lines,
}

/// <summary>
/// One series of a <see cref="PlotlyFigure"/>: its values over category labels (<see cref="Categories"/>)
/// or numbers (<see cref="Numbers"/>), one of the two. A NaN value draws nothing at its place.
/// </summary>
public sealed record FigureTrace
{
    /// <summary>Bars or a line.</summary>
    public required TraceKind Kind { get; init; }

    /// <summary>The legend entry.</summary>
    public required string Name { get; init; }

    /// <summary>The x positions as category labels, or null when <see cref="Numbers"/> holds them.</summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>The x positions as numbers, or null when <see cref="Categories"/> holds them.</summary>
    public IReadOnlyList<double>? Numbers { get; init; }

    /// <summary>The y values, one per x position.</summary>
    public required IReadOnlyList<double> Values { get; init; }

    /// <summary>Error bar lengths above and below each value (asymmetric; 0 draws none), or null for no error bars.</summary>
    public IReadOnlyList<double>? ErrorAbove { get; init; }

    /// <inheritdoc cref="ErrorAbove"/>
    public IReadOnlyList<double>? ErrorBelow { get; init; }

    /// <summary>Bars on a numeric axis: each bar's width in x units (histogram bins). Null: the axis decides.</summary>
    public double? BarWidth { get; init; }

    /// <summary>A CSS colour such as #1f77b4.</summary>
    public required string Color { get; init; }

    /// <summary>0 to 1.</summary>
    public double Opacity { get; init; } = 1;

    /// <summary>Lines: a marker at every point.</summary>
    public bool Markers { get; init; }

    /// <summary>How many x positions the series has.</summary>
    public int Count => Values.Count;
}

/// <summary>
/// A chart as data: the library's one definition of each figure, written as Plotly figure JSON
/// (<see cref="ToJson"/>, drawn by plotly.js in the report and in notebooks) and as a static SVG
/// (<see cref="ToSvg"/>, for viewers that run no scripts). No Plotly.NET or F# type is involved, so
/// any .NET Interactive kernel can display it (<see cref="FigureNotebookDisplay"/>).
/// </summary>
[TypeFormatterSource(typeof(FigureNotebookDisplay), PreferredMimeTypes = [FigureNotebookDisplay.Html, FigureNotebookDisplay.Svg])]
public sealed record PlotlyFigure
{
    /// <summary>Plotly's default colour sequence, used in order for series without a colour of their own.</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The title above the plot.</summary>
    public required string Title { get; init; }

    /// <summary>The x axis title (empty for none).</summary>
    public string XTitle { get; init; } = "";

    /// <summary>The y axis title (empty for none).</summary>
    public string YTitle { get; init; } = "";

    /// <summary>The series, in legend order.</summary>
    public required IReadOnlyList<FigureTrace> Traces { get; init; }

    /// <summary>Category axis: the categories in the order drawn (null: in the order the series first name them).</summary>
    public IReadOnlyList<string>? CategoryOrder { get; init; }

    /// <summary>A fixed y range (null: fitted to the data).</summary>
    public (double Low, double High)? YRange { get; init; }

    /// <summary>Bars drawn over each other (histograms) rather than side by side.</summary>
    public bool Overlay { get; init; }

    /// <summary>Size in pixels.</summary>
    public int Width { get; init; } = 960;

    /// <inheritdoc cref="Width"/>
    public int Height { get; init; } = 460;

    /// <summary>
    /// What the plot area says when no series has a value to draw (an empty data set), so that a reader
    /// sees why the chart is blank instead of empty axes.
    /// </summary>
    public string NoDataText { get; init; } = "no data";

    /// <summary>True when no series has a finite value: the plot area shows <see cref="NoDataText"/>.</summary>
    public bool HasNoData => Traces.All(t => !t.Values.Any(double.IsFinite));

    /// <summary>True when the x axis holds categories (every series has <see cref="FigureTrace.Categories"/>).</summary>
    public bool HasCategoryAxis => Traces.Count == 0 || Traces.All(t => t.Categories is not null);

    /// <summary>The categories on the x axis in drawing order (empty for a numeric axis).</summary>
    public IReadOnlyList<string> Categories => !HasCategoryAxis ? [] :
        CategoryOrder ?? [.. Traces.SelectMany(t => t.Categories!).Distinct(StringComparer.Ordinal)];

    /// <summary>The colour of the next series: <see cref="Palette"/> in turn.</summary>
    public static string ColorAt(int index) => Palette[index % Palette.Count];

    /// <summary>The figure as Plotly's JSON (<c>{"data": [...], "layout": {...}}</c>); NaN values are null. HTML-sensitive characters are escaped, so the text can sit inside a script element.</summary>
    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (FigureTrace trace in Traces)
                WriteTrace(json, trace);
            json.WriteEndArray();
            WriteLayout(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The figure as a standalone SVG document, drawn without scripts.</summary>
    public string ToSvg() => FigureSvg.Render(this);

    /// <summary>The figure's title.</summary>
    public override string ToString() => Title;

    static void WriteTrace(Utf8JsonWriter json, FigureTrace trace)
    {
        if (trace.Categories is null == trace.Numbers is null)
            throw new ArgumentException($"series {trace.Name}: give its x positions as categories or as numbers, one of the two");
        if ((trace.Categories?.Count ?? trace.Numbers!.Count) != trace.Values.Count)
            throw new ArgumentException($"series {trace.Name} has {trace.Values.Count} values for {trace.Categories?.Count ?? trace.Numbers!.Count} x positions");
        json.WriteStartObject();
        json.WriteString("type", trace.Kind == TraceKind.Bars ? "bar" : "scatter");
        json.WriteString("name", trace.Name);
        if (trace.Kind == TraceKind.Lines)
            json.WriteString("mode", trace.Markers ? "lines+markers" : "lines");
        json.WriteStartArray("x");
        for (int i = 0; i < trace.Count; i++)
        {
            if (trace.Categories is { } categories)
                json.WriteStringValue(categories[i]);
            else
                json.WriteNumberValue(trace.Numbers![i]);
        }
        json.WriteEndArray();
        WriteNumbers(json, "y", trace.Values);
        if (trace.BarWidth is { } width)
            json.WriteNumber("width", width);
        if (trace.Opacity < 1)
            json.WriteNumber("opacity", trace.Opacity);
        json.WriteStartObject(trace.Kind == TraceKind.Bars ? "marker" : "line");
        json.WriteString("color", trace.Color);
        json.WriteEndObject();
        if (trace.Kind == TraceKind.Lines && trace.Markers)
        {
            json.WriteStartObject("marker");
            json.WriteString("color", trace.Color);
            json.WriteEndObject();
        }
        if (trace.ErrorAbove is { } above && trace.ErrorBelow is { } below)
        {
            json.WriteStartObject("error_y");
            json.WriteString("type", "data");
            json.WriteBoolean("symmetric", false);
            json.WriteBoolean("visible", true);
            WriteNumbers(json, "array", above);
            WriteNumbers(json, "arrayminus", below);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    void WriteLayout(Utf8JsonWriter json)
    {
        json.WriteStartObject("layout");
        json.WriteStartObject("title");
        json.WriteString("text", Title);
        json.WriteEndObject();
        json.WriteNumber("width", Width);
        json.WriteNumber("height", Height);
        json.WriteString("barmode", Overlay ? "overlay" : "group");
        json.WriteStartObject("xaxis");
        WriteAxisTitle(json, XTitle);
        if (HasCategoryAxis && Traces.Count > 0)
        {
            json.WriteString("type", "category");
            json.WriteString("categoryorder", "array");
            json.WriteStartArray("categoryarray");
            foreach (string category in Categories)
                json.WriteStringValue(category);
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteStartObject("yaxis");
        WriteAxisTitle(json, YTitle);
        if (YRange is { } range)
            WriteNumbers(json, "range", [range.Low, range.High]);
        json.WriteEndObject();
        if (HasNoData)
            WriteNoDataText(json);
        json.WriteEndObject();
    }

    // NoDataText in the middle of the plot area, as a plotly.js annotation placed in paper coordinates.
    void WriteNoDataText(Utf8JsonWriter json)
    {
        json.WriteStartArray("annotations");
        json.WriteStartObject();
        json.WriteString("text", NoDataText);
        json.WriteString("xref", "paper");
        json.WriteString("yref", "paper");
        json.WriteNumber("x", 0.5);
        json.WriteNumber("y", 0.5);
        json.WriteBoolean("showarrow", false);
        json.WriteStartObject("font");
        json.WriteNumber("size", 16);
        json.WriteString("color", "#7f7f7f");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    static void WriteAxisTitle(Utf8JsonWriter json, string title)
    {
        if (title.Length == 0)
            return;
        json.WriteStartObject("title");
        json.WriteString("text", title);
        json.WriteEndObject();
    }

    static void WriteNumbers(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (double value in values)
        {
            if (double.IsFinite(value))
                json.WriteNumberValue(value);
            else
                json.WriteNullValue();
        }
        json.WriteEndArray();
    }
}
