using System.Globalization;
using System.Text.Json;
using GenRM.IO;

namespace GenRM.Experiments;

/// <summary>
/// Where a study's wall time went (<c>timings.json</c> in the run folder): preparing the data and the
/// base model (pretraining it when none is committed), then each method's phases. Methods kept from
/// an earlier run of a resumed folder carry the phases that run recorded.
/// </summary>
/// <param name="Seconds">The whole run in this process, reports included.</param>
/// <param name="BaseModel">Data generation and loading (or pretraining) the base model.</param>
/// <param name="Methods">Each method's phases, in study order; methods without recorded phases are left out.</param>
public sealed record StudyTimings(double Seconds, double BaseModel, IReadOnlyDictionary<string, MethodPhases> Methods)
{
    public const string FileName = "timings.json";

    /// <summary>Every method's phases added up.</summary>
    public MethodPhases Phases => Methods.Values.Aggregate(MethodPhases.Zero, (sum, phases) => sum + phases);

    /// <summary>Writes <see cref="FileName"/> (seconds, rounded to 0.1) atomically.</summary>
    public void Write(string folder) => AtomicWrite.File(Path.Combine(folder, FileName), stream =>
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("seconds", Round(Seconds));
        json.WriteNumber("base_model", Round(BaseModel));
        WritePhases(json, "phases", Phases);
        json.WriteStartObject("methods");
        foreach (var (method, phases) in Methods)
            WritePhases(json, method, phases);
        json.WriteEndObject();
        json.WriteEndObject();
    });

    /// <summary>
    /// "900 s: base model 1 s; summed over the methods, which may have run side by side: training 300 s, ..."
    /// for the run log (so the phases can add up to more than the run).
    /// </summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Seconds:F0} s: base model {BaseModel:F0} s; summed over the methods, which may have run side by side: {Phases}");

    static void WritePhases(Utf8JsonWriter json, string name, MethodPhases phases)
    {
        json.WriteStartObject(name);
        json.WriteNumber("training", Round(phases.Training));
        json.WriteNumber("star_sampling", Round(phases.Sampling));
        json.WriteNumber("held_out", Round(phases.HeldOut));
        json.WriteNumber("evaluation", Round(phases.Evaluation));
        json.WriteNumber("total", Round(phases.Total));
        json.WriteEndObject();
    }

    static double Round(double seconds) => Math.Round(seconds, 1);
}
