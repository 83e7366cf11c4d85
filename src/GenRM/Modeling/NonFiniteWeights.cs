using System.Globalization;
using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// Finds weights holding NaN or infinite values. Such a checkpoint loads without complaint (the
/// format allows any float), but every score computed from it is meaningless, so loaders warn.
/// </summary>
public static class NonFiniteWeights
{
    /// <summary>One line per tensor holding non-finite values: its name and how many, e.g. <c>score.weight: 64 of 64 values NaN or infinite</c>.</summary>
    public static IReadOnlyList<string> Find(LanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var found = new List<string>();
        foreach (var (name, tensor) in model.state_dict())
        {
            using var scope = NewDisposeScope();
            long bad = tensor.isfinite().logical_not().sum().item<long>();
            if (bad > 0)
                found.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {bad} of {tensor.numel()} values NaN or infinite"));
        }
        return found;
    }

    /// <summary>Writes one warning line per such tensor to <paramref name="log"/>, naming <paramref name="source"/>.</summary>
    public static void Warn(LanguageModel model, string source, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        foreach (string line in Find(model))
            log.WriteLine($"warning: {source}: {line}; scores computed from it will be NaN and no accuracy will be reported");
    }
}
