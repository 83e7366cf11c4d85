using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GenRM.Reporting;

/// <summary>
/// How a notebook shows a <see cref="PlotlyFigure"/>: one output holding HTML (the static SVG, which a
/// script replaces with the interactive plotly.js chart where scripts run) and the SVG again as an
/// image, so nbconvert's HTML, code-hosting previews and untrusted notebooks show the chart too.
/// plotly.js is embedded once per kernel process (so once per notebook run), in the first figure's HTML.
/// </summary>
/// <remarks>
/// .NET Interactive finds this through <see cref="TypeFormatterSourceAttribute"/> on the figure type,
/// matched by name, so the library needs no reference to the kernel's packages; the formatter objects
/// are read by convention (a <c>MimeType</c> property and a <c>Format(object, TextWriter)</c> method).
/// </remarks>
public sealed class FigureNotebookDisplay
{
    /// <summary>The MIME type of the interactive rendition.</summary>
    public const string Html = "text/html";

    /// <summary>The MIME type of the static rendition.</summary>
    public const string Svg = "image/svg+xml";

    static int libraryWritten;
    static int figures;

    /// <summary>The formatters the kernel registers for <see cref="PlotlyFigure"/> (called by the kernel).</summary>
    // An instance method: the kernel creates the source and calls this on it.
#pragma warning disable CA1822
    public IEnumerable<object> CreateTypeFormatters() => [new Formatter(Html, WriteHtml), new Formatter(Svg, (figure, writer) => writer.Write(figure.ToSvg()))];
#pragma warning restore CA1822

    /// <summary>
    /// The figure's notebook HTML: a div holding the SVG, plotly.js when this process has not written it
    /// yet, and a script that draws the interactive chart into the div when plotly.js is there.
    /// </summary>
    public static void WriteHtml(PlotlyFigure figure, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentNullException.ThrowIfNull(writer);
        string json = figure.ToJson();
        string id = string.Create(CultureInfo.InvariantCulture,
            $"genrm-figure-{Interlocked.Increment(ref figures)}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..8]}");
        writer.Write($"<div id=\"{id}\" class=\"genrm-figure\" style=\"max-width:{figure.Width}px\">");
        writer.Write(figure.ToSvg());
        writer.Write("</div>\n");
        if (Interlocked.Exchange(ref libraryWritten, 1) == 0)
            PlotlyPage.WriteLibraryScript(writer);
        writer.Write($"<script>(function () {{ var element = document.getElementById(\"{id}\"); if (!element || !window.Plotly) return; var figure = {json};\n");
        writer.Write("element.innerHTML = \"\"; window.Plotly.newPlot(element, figure.data, figure.layout, { responsive: true }); })();</script>\n");
    }

    /// <summary>One MIME type's formatter, in the shape the kernel looks for.</summary>
    sealed class Formatter(string mimeType, Action<PlotlyFigure, TextWriter> write)
    {
        public string MimeType => mimeType;

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not PlotlyFigure figure)
                return false;
            write(figure, writer);
            return true;
        }
    }
}

/// <summary>
/// Names the formatter source of a type for .NET Interactive, which matches this attribute by its name
/// (the kernel's own attribute type need not be referenced).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    /// <summary>The type whose <c>CreateTypeFormatters()</c> gives the formatters.</summary>
    public Type FormatterSourceType { get; } = formatterSourceType;

    /// <summary>The MIME types a displayed value is formatted as, in order.</summary>
    public string[] PreferredMimeTypes { get; set; } = [];
}
