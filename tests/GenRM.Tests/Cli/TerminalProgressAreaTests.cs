using GenRM.Cli;
using GenRM.Training;

namespace GenRM.Tests.Cli;

/// <summary>
/// On a terminal each running phase keeps a live line at the bottom and the log's lines go above them:
/// read back through a screen that applies the cursor movements the area writes, as a terminal does.
/// </summary>
public sealed class TerminalProgressAreaTests
{
    [Fact]
    public void PhasesRunningSideBySideEachKeepALineUnderTheLogAndAFinishedOneStaysInTheScrollBack()
    {
        var screen = new StringWriter();
        var area = new TerminalProgressArea(screen, () => 120);
        var progress = new ConsoleProgress(screen, area);
        var log = progress.Above(screen);

        log.WriteLine("[star-sft] starting");
        progress.Report(TrainingProgress.Items("star-sft sampling", 16, 64, 1000));
        progress.Report(new TrainingProgress("bradley-terry", 3, 10, 0.7, 1e-4, 2000));
        Assert.Collection(Screen(screen),
            row => Assert.Equal("[star-sft] starting", row),
            row => AssertBar("star-sft sampling 16/64", row),
            row => AssertBar("bradley-terry 3/10", row));

        log.Write("[bradley-terry] a line ");
        log.WriteLine("in two writes");
        progress.Report(TrainingProgress.Items("star-sft sampling", 64, 64, 1000));
        progress.Report(new TrainingProgress("bradley-terry", 4, 10, 0.6, 1e-4, 2000));
        log.WriteLine("[star-sft] iteration 1: kept 20/64 rationales");

        string[] shown = Screen(screen);
        Assert.Equal(5, shown.Length);
        Assert.Equal("[star-sft] starting", shown[0]);
        Assert.Equal("[bradley-terry] a line in two writes", shown[1]);
        AssertBar("star-sft sampling 64/64", shown[2]);
        Assert.Equal("[star-sft] iteration 1: kept 20/64 rationales", shown[3]);
        AssertBar("bradley-terry 4/10", shown[4]);
    }

    [Fact]
    public void ALineWiderThanTheTerminalIsCutSoThatItDoesNotWrap()
    {
        var screen = new StringWriter();
        var progress = new ConsoleProgress(screen, new TerminalProgressArea(screen, () => 40));
        progress.Report(new TrainingProgress("a-phase-with-a-long-name", 1, 10, 0.7, 1e-4, 2000));
        progress.Report(new TrainingProgress("a-phase-with-a-long-name", 2, 10, 0.7, 1e-4, 2000));

        string line = Assert.Single(Screen(screen));
        Assert.Equal(39, line.Length);
        Assert.EndsWith("…", line, StringComparison.Ordinal);
    }

    /// <summary>A whole progress line (bar, phase, steps, throughput, time) of <paramref name="phaseAndSteps"/>.</summary>
    static void AssertBar(string phaseAndSteps, string row) =>
        Assert.Matches($@"^\[[#.]{{24}}\] {System.Text.RegularExpressions.Regex.Escape(phaseAndSteps)} .*k tok/s \d+s(, ~\d+s left)?$", row);

    /// <summary>The rows a terminal shows after <paramref name="written"/>: applies carriage return, newline, cursor up (ESC[nA) and erase below (ESC[J).</summary>
    static string[] Screen(StringWriter written)
    {
        var rows = new List<System.Text.StringBuilder> { new() };
        int row = 0, column = 0;
        string text = written.ToString();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\u001b')
            {
                var command = System.Text.RegularExpressions.Regex.Match(text[i..], @"^\u001b\[(\d*)([AJ])");
                Assert.True(command.Success, $"an escape sequence the area should not write at {i}");
                if (command.Groups[2].Value == "A")
                    row -= int.Parse(command.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                else
                {
                    rows[row].Length = Math.Min(rows[row].Length, column);
                    rows.RemoveRange(row + 1, rows.Count - row - 1);
                }
                Assert.True(row >= 0, "the cursor went above the screen");
                i += command.Length - 1;
            }
            else if (c == '\n')
            {
                row++;
                column = 0;
                if (row == rows.Count) rows.Add(new());
            }
            else if (c == '\r')
                column = 0;
            else
            {
                var line = rows[row];
                if (column < line.Length) line[column] = c;
                else line.Append(c);
                column++;
            }
        }
        return [.. rows.Select(r => r.ToString()).Where(r => r.Length > 0)];
    }
}
