using Plotly.NET;

namespace GenRM.Reporting;

/// <summary>
/// Plotly on a self-contained page: the plotly.js that Plotly.NET embeds (so the page needs no
/// network), and each chart as a div with its own Plotly.newPlot call.
/// </summary>
internal static class PlotlyPage
{
    /// <summary>Copies plotly.min.js, as shipped inside the Plotly.NET assembly, to <paramref name="writer"/>.</summary>
    public static void WriteLibrary(TextWriter writer)
    {
        string name = $"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js";
        using Stream stream = typeof(GenericChart).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET carries no embedded {name}; the report cannot be made self-contained.");
        using var reader = new StreamReader(stream);
        writer.Write(reader.ReadToEnd());
    }

    /// <summary>A div with a fixed id (Plotly.NET's own HTML uses a random one) and the script that draws the chart into it.</summary>
    public static void WriteChart(TextWriter writer, string id, GenericChart chart)
    {
        // The figure sits inside a script element: "<" and ">" escaped as JSON allows keep a "</script>" in a label from ending it.
        string figure = GenericChart.toFigureJson(chart)
            .Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal)
            .Replace("&", "\\u0026", StringComparison.Ordinal);
        writer.Write($"<div id=\"{id}\" class=\"chart\"></div>\n<script>(function () {{ var figure = {figure};\n");
        writer.Write($"Plotly.newPlot(\"{id}\", figure.data, figure.layout, {{ responsive: true }}); }})();</script>\n");
    }
}
