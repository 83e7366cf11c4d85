using System.Globalization;
using System.Net;
using System.Text;

namespace GenRM.Reporting;

/// <summary>
/// Draws a <see cref="PlotlyFigure"/> as a static SVG in plotly.js's default look (title, gridded axes,
/// grouped or overlaid bars, lines with markers, asymmetric error bars, a legend on the right), for
/// viewers that run no scripts.
/// </summary>
internal static class FigureSvg
{
    const int Left = 72, Top = 56, Bottom = 72, LegendWidth = 210, Right = 24;
    const string Font = "font-family=\"'Open Sans', verdana, arial, sans-serif\"";
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    static readonly double[] RoundSteps = [1, 2, 5, 10];

    public static string Render(PlotlyFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var svg = new StringBuilder();
        int width = figure.Width, height = figure.Height;
        double plotLeft = Left, plotRight = width - LegendWidth - Right, plotTop = Top, plotBottom = height - Bottom;
        svg.Append(Invariant, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" {Font}>\n");
        svg.Append(Invariant, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        Text(svg, plotLeft, 32, figure.Title, 17, "start");

        (double low, double high) = YRange(figure);
        var yTicks = Ticks(low, high);
        double Y(double value) => plotBottom - (value - low) / (high - low) * (plotBottom - plotTop);
        foreach (double tick in yTicks)
        {
            double y = Y(tick);
            svg.Append(Invariant, $"<line x1=\"{plotLeft:0.#}\" x2=\"{plotRight:0.#}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"{(tick == 0 ? "#444" : "#e5e5e5")}\"/>\n");
            Text(svg, plotLeft - 6, y + 4, Number(tick, yTicks), 12, "end");
        }
        Text(svg, plotLeft + (plotRight - plotLeft) / 2, height - 16, figure.XTitle, 13, "middle");
        double yMiddle = plotTop + (plotBottom - plotTop) / 2;
        svg.Append(Invariant, $"<text x=\"18\" y=\"{yMiddle:0.#}\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 18 {yMiddle:0.#})\">{Escape(figure.YTitle)}</text>\n");

        Func<FigureTrace, int, double> x;
        double barWidth;
        var bars = figure.Traces.Where(t => t.Kind == TraceKind.Bars).ToList();
        if (figure.HasCategoryAxis)
        {
            IReadOnlyList<string> categories = figure.Categories;
            var index = categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
            double band = (plotRight - plotLeft) / Math.Max(1, categories.Count);
            int groups = figure.Overlay ? 1 : Math.Max(1, bars.Count);
            barWidth = band * 0.8 / groups;
            x = (trace, i) =>
            {
                double center = plotLeft + band * (index[trace.Categories![i]] + 0.5);
                if (trace.Kind != TraceKind.Bars || figure.Overlay)
                    return center;
                return center - band * 0.4 + barWidth * (bars.IndexOf(trace) + 0.5);
            };
            bool rotate = categories.Sum(c => c.Length) * 7.0 > plotRight - plotLeft;
            for (int i = 0; i < categories.Count; i++)
            {
                double cx = plotLeft + band * (i + 0.5);
                if (rotate)
                    svg.Append(Invariant, $"<text x=\"{cx:0.#}\" y=\"{plotBottom + 14:0.#}\" font-size=\"11\" text-anchor=\"end\" transform=\"rotate(-25 {cx:0.#} {plotBottom + 14:0.#})\">{Escape(categories[i])}</text>\n");
                else
                    Text(svg, cx, plotBottom + 18, categories[i], 12, "middle");
            }
        }
        else
        {
            var values = figure.Traces.SelectMany(t => t.Numbers!.Select(v => (v, w: t.BarWidth ?? 0))).ToList();
            double xLow = values.Count == 0 ? 0 : values.Min(p => p.v - p.w / 2), xHigh = values.Count == 0 ? 1 : values.Max(p => p.v + p.w / 2);
            if (xHigh <= xLow)
                (xLow, xHigh) = (xLow - 1, xHigh + 1);
            var xTicks = Ticks(xLow, xHigh);
            double X(double value) => plotLeft + (value - xLow) / (xHigh - xLow) * (plotRight - plotLeft);
            foreach (double tick in xTicks.Where(t => t >= xLow && t <= xHigh))
                Text(svg, X(tick), plotBottom + 18, Number(tick, xTicks), 12, "middle");
            barWidth = 0;
            x = (trace, i) => X(trace.Numbers![i]);
            foreach (FigureTrace trace in bars)
                DrawBars(svg, trace, x, (trace.BarWidth ?? 1) / (xHigh - xLow) * (plotRight - plotLeft), Y);
        }
        if (figure.HasCategoryAxis)
            foreach (FigureTrace trace in bars)
                DrawBars(svg, trace, x, barWidth, Y);
        foreach (FigureTrace trace in figure.Traces.Where(t => t.Kind == TraceKind.Lines))
            DrawLine(svg, trace, x, Y);
        foreach (FigureTrace trace in figure.Traces)
            DrawErrors(svg, trace, x, Y);
        svg.Append(Invariant, $"<line x1=\"{plotLeft}\" x2=\"{plotLeft}\" y1=\"{plotTop}\" y2=\"{plotBottom}\" stroke=\"#444\"/>\n");
        if (figure.HasNoData)
            svg.Append(Invariant, $"<text x=\"{(plotLeft + plotRight) / 2:0.#}\" y=\"{yMiddle:0.#}\" font-size=\"16\" fill=\"#7f7f7f\" text-anchor=\"middle\">{Escape(figure.NoDataText)}</text>\n");
        Legend(svg, figure.Traces, plotRight + 16, plotTop);
        svg.Append("</svg>");
        return svg.ToString();
    }

    static void DrawBars(StringBuilder svg, FigureTrace trace, Func<FigureTrace, int, double> x, double width, Func<double, double> y)
    {
        double zero = y(0);
        for (int i = 0; i < trace.Count; i++)
        {
            double value = trace.Values[i];
            if (!double.IsFinite(value))
                continue;
            double top = Math.Min(y(value), zero), bottom = Math.Max(y(value), zero);
            svg.Append(Invariant, $"<rect x=\"{x(trace, i) - width / 2:0.##}\" y=\"{top:0.##}\" width=\"{width:0.##}\" height=\"{bottom - top:0.##}\" fill=\"{trace.Color}\" fill-opacity=\"{trace.Opacity:0.##}\"/>\n");
        }
    }

    static void DrawLine(StringBuilder svg, FigureTrace trace, Func<FigureTrace, int, double> x, Func<double, double> y)
    {
        // NaN breaks the line, as plotly.js draws a gap.
        var segment = new List<string>();
        void Flush()
        {
            if (segment.Count > 1)
                svg.Append(Invariant, $"<polyline points=\"{string.Join(' ', segment)}\" fill=\"none\" stroke=\"{trace.Color}\" stroke-width=\"2\"/>\n");
            segment.Clear();
        }
        for (int i = 0; i < trace.Count; i++)
        {
            if (!double.IsFinite(trace.Values[i]))
            {
                Flush();
                continue;
            }
            segment.Add(string.Create(Invariant, $"{x(trace, i):0.##},{y(trace.Values[i]):0.##}"));
            if (trace.Markers)
                svg.Append(Invariant, $"<circle cx=\"{x(trace, i):0.##}\" cy=\"{y(trace.Values[i]):0.##}\" r=\"4\" fill=\"{trace.Color}\"/>\n");
        }
        Flush();
    }

    static void DrawErrors(StringBuilder svg, FigureTrace trace, Func<FigureTrace, int, double> x, Func<double, double> y)
    {
        if (trace.ErrorAbove is not { } above || trace.ErrorBelow is not { } below)
            return;
        // As plotly.js draws them: dark on bars, the line's own colour on lines.
        string color = trace.Kind == TraceKind.Bars ? "#444" : trace.Color;
        for (int i = 0; i < trace.Count; i++)
        {
            double value = trace.Values[i];
            if (!double.IsFinite(value) || (above[i] == 0 && below[i] == 0))
                continue;
            double cx = x(trace, i), high = y(value + above[i]), low = y(value - below[i]);
            svg.Append(Invariant, $"<path d=\"M{cx:0.##},{high:0.##}V{low:0.##}M{cx - 4:0.##},{high:0.##}h8M{cx - 4:0.##},{low:0.##}h8\" stroke=\"{color}\" stroke-width=\"1.5\" fill=\"none\"/>\n");
        }
    }

    static void Legend(StringBuilder svg, IReadOnlyList<FigureTrace> traces, double left, double top)
    {
        for (int i = 0; i < traces.Count; i++)
        {
            FigureTrace trace = traces[i];
            double y = top + 20 * i;
            if (trace.Kind == TraceKind.Bars)
                svg.Append(Invariant, $"<rect x=\"{left:0.#}\" y=\"{y:0.#}\" width=\"14\" height=\"12\" fill=\"{trace.Color}\" fill-opacity=\"{trace.Opacity:0.##}\"/>\n");
            else
                svg.Append(Invariant, $"<line x1=\"{left:0.#}\" x2=\"{left + 18:0.#}\" y1=\"{y + 6:0.#}\" y2=\"{y + 6:0.#}\" stroke=\"{trace.Color}\" stroke-width=\"2\"/>\n");
            Text(svg, left + 24, y + 11, trace.Name, 12, "start");
        }
    }

    /// <summary>The y range: the figure's own, or the data with its error bars (and 0 when there are bars), padded.</summary>
    static (double Low, double High) YRange(PlotlyFigure figure)
    {
        if (figure.YRange is { } fixedRange)
            return fixedRange;
        var values = new List<double>();
        foreach (FigureTrace trace in figure.Traces)
            for (int i = 0; i < trace.Count; i++)
            {
                double value = trace.Values[i];
                if (!double.IsFinite(value))
                    continue;
                values.Add(value + (trace.ErrorAbove?[i] ?? 0));
                values.Add(value - (trace.ErrorBelow?[i] ?? 0));
            }
        if (figure.Traces.Any(t => t.Kind == TraceKind.Bars))
            values.Add(0);
        if (values.Count == 0)
            return (0, 1);
        double low = values.Min(), high = values.Max();
        double pad = high > low ? (high - low) * 0.05 : Math.Max(1, Math.Abs(high) * 0.1);
        // Bars stand on zero: no padding below it.
        return (low == 0 && figure.Traces.Any(t => t.Kind == TraceKind.Bars) ? 0 : low - pad, high + pad);
    }

    /// <summary>About six round-numbered ticks (steps of 1, 2 or 5 times a power of ten) inside the range.</summary>
    static List<double> Ticks(double low, double high)
    {
        double raw = (high - low) / 6;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = RoundSteps.Select(m => m * power).First(s => s >= raw);
        var ticks = new List<double>();
        for (double t = Math.Ceiling(low / step) * step; t <= high + step * 1e-9; t += step)
            ticks.Add(Math.Round(t / step) * step);
        return ticks;
    }

    static string Number(double value, List<double> ticks)
    {
        double step = ticks.Count > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step) - 1e-9), 0, 6);
        // A rounded tick can be -0, which would print as "-0.0".
        return (value == 0 ? 0 : value).ToString("F" + decimals.ToString(Invariant), Invariant);
    }

    static void Text(StringBuilder svg, double x, double y, string text, int size, string anchor)
    {
        if (text.Length > 0)
            svg.Append(Invariant, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{size}\" text-anchor=\"{anchor}\" fill=\"#444\">{Escape(text)}</text>\n");
    }

    static string Escape(string text) => WebUtility.HtmlEncode(text);
}
