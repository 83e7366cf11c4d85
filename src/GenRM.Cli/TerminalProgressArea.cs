namespace GenRM.Cli;

/// <summary>
/// The bottom of a terminal while work runs: one progress line per running phase (methods running side
/// by side each keep theirs), redrawn in place, with the log's lines written above them, so neither
/// overwrites the other. A finished phase's last line stays in the scroll-back. Lines are cut to the
/// terminal's width, since a wrapped line would break the redrawing.
/// </summary>
internal sealed class TerminalProgressArea(TextWriter screen, Func<int> width)
{
    // ANSI: the cursor up n lines, and erase from the cursor to the end of the screen.
    static string Up(int lines) => $"\u001b[{lines}A";
    const string EraseBelow = "\u001b[J";

    readonly List<string> phases = [];
    readonly Dictionary<string, string> lines = new(StringComparer.Ordinal);
    int drawn;

    /// <summary>Shows <paramref name="line"/> as <paramref name="phase"/>'s progress; a finished phase's line leaves the area for the scroll-back.</summary>
    public void Show(string phase, string line, bool finished)
    {
        lock (phases)
        {
            Erase();
            if (finished)
            {
                phases.Remove(phase);
                lines.Remove(phase);
                screen.WriteLine(Fit(line));
            }
            else
            {
                if (!lines.ContainsKey(phase))
                    phases.Add(phase);
                lines[phase] = line;
            }
            Draw();
        }
    }

    /// <summary>Writes whole lines of the log to <paramref name="target"/> above the progress lines.</summary>
    public void WriteAbove(TextWriter target, string text)
    {
        lock (phases)
        {
            Erase();
            target.Write(text);
            target.Flush();
            Draw();
        }
    }

    void Erase()
    {
        if (drawn > 0)
            screen.Write(Up(drawn) + EraseBelow);
        drawn = 0;
    }

    void Draw()
    {
        foreach (string phase in phases)
            screen.Write(Fit(lines[phase]) + "\n");
        screen.Flush();
        drawn = phases.Count;
    }

    string Fit(string line)
    {
        int columns = Math.Max(width() - 1, 20);
        return line.Length <= columns ? line : line[..(columns - 1)] + "…";
    }
}

/// <summary>A log writer whose lines go above a terminal's progress lines (a partial line waits for its end).</summary>
internal sealed class AboveProgressWriter(TerminalProgressArea area, TextWriter target) : TextWriter
{
    readonly System.Text.StringBuilder pending = new();

    public override System.Text.Encoding Encoding => target.Encoding;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        lock (pending)
        {
            pending.Append(value);
            if (value is not null && value.Contains('\n', StringComparison.Ordinal))
                WritePending();
        }
    }

    public override void WriteLine(string? value) => Write(value + new string(CoreNewLine));

    /// <summary>Writes a partial line too (the progress lines then follow it on its line).</summary>
    public override void Flush()
    {
        lock (pending)
        {
            if (pending.Length > 0)
                area.WriteAbove(target, pending.ToString());
            pending.Clear();
        }
    }

    // Everything up to the last newline; the rest waits.
    void WritePending()
    {
        string text = pending.ToString();
        int end = text.LastIndexOf('\n') + 1;
        area.WriteAbove(target, text[..end]);
        pending.Remove(0, end);
    }
}
