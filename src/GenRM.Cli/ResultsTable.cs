using System.Globalization;
using System.Text;
using GenRM.Evaluation;
using GenRM.Reporting;

namespace GenRM.Cli;

/// <summary>The results as a fixed-width table for the terminal: methods down, sections across, accuracy and 95 % interval.</summary>
internal static class ResultsTable
{
    public static string Format(IReadOnlyList<ResultRow> rows)
    {
        var methods = StudyOrder.SortMethods(rows.Select(r => r.Method).Distinct());
        var sections = StudyOrder.SortSections(rows.Select(r => r.Section).Distinct());
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"method",-18}");
        foreach (string section in sections) text.Append(CultureInfo.InvariantCulture, $"{section,20}");
        text.AppendLine();
        foreach (string method in methods)
        {
            text.Append(CultureInfo.InvariantCulture, $"{method,-18}");
            foreach (string section in sections)
            {
                var row = rows.FirstOrDefault(r => r.Method == method && r.Section == section);
                string cell = row is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100 * row.Accuracy:F1} [{100 * row.Ci95.Low:F0},{100 * row.Ci95.High:F0}]");
                text.Append(CultureInfo.InvariantCulture, $"{cell,20}");
            }
            text.AppendLine();
        }
        return text.ToString();
    }
}
