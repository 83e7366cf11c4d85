namespace GenRM.Reporting;

/// <summary>
/// Plotly on a self-contained page: plotly.js as embedded in this library (taken from the Plotly.NET
/// package at build time, build/PlotlyJs.targets; so the page needs no network), and each chart as a
/// div with its own Plotly.newPlot call.
/// </summary>
internal static class PlotlyPage
{
    const string Resource = "GenRM.plotly.min.js";

    static readonly Lazy<string> Library = new(() =>
    {
        using Stream stream = typeof(PlotlyPage).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"the library carries no embedded {Resource}; charts cannot be made self-contained");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The plotly.js version embedded, from its banner ("/** * plotly.js v2.28.0").</summary>
    public static string LibraryVersion
    {
        get
        {
            const string marker = "plotly.js v";
            string head = Library.Value[..200];
            int start = head.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
            return head[start..head.IndexOf('\n', start)].Trim();
        }
    }

    /// <summary>Copies plotly.min.js to <paramref name="writer"/>.</summary>
    public static void WriteLibrary(TextWriter writer) => writer.Write(Library.Value);

    /// <summary>
    /// plotly.js in a script element that defines <c>window.Plotly</c> even where a page has loaded
    /// require.js (Jupyter's classic front end does, and plotly.js then registers itself as an AMD module only).
    /// </summary>
    public static void WriteLibraryScript(TextWriter writer)
    {
        writer.Write("<script>(function (define, module, exports) {\n");
        WriteLibrary(writer);
        writer.Write("\n}).call(window);</script>\n");
    }

    /// <summary>A div with a fixed id and the script that draws the figure into it.</summary>
    public static void WriteChart(TextWriter writer, string id, PlotlyFigure figure)
    {
        // The JSON escapes "<", ">" and "&", so a "</script>" in a label cannot end the script element.
        writer.Write($"<div id=\"{id}\" class=\"chart\"></div>\n<script>(function () {{ var figure = {figure.ToJson()};\n");
        writer.Write($"Plotly.newPlot(\"{id}\", figure.data, figure.layout, {{ responsive: true }}); }})();</script>\n");
    }
}
