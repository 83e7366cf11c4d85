namespace GenRM.Planning;

/// <summary>
/// Low-rank adapters as the memory plan sees them: rank r on the named projections (PEFT's
/// <c>target_modules</c>). Each targeted weight W [out, in] gains A [r, in] and B [out, r], so
/// r·(in + out) trainable parameters; the base weights are frozen and carry no gradients,
/// moments or master copies. (The training side has its own LoRA settings; this record holds only
/// what the arithmetic needs.)
/// </summary>
public sealed record PlanLora(int Rank, IReadOnlyList<string> TargetModules)
{
    /// <summary>The projections of a decoder layer that can carry adapters.</summary>
    public static IReadOnlyList<string> Projections => Modeling.Lora.LoraConfig.AllProjections;

    /// <summary>PEFT's shorthand for every projection.</summary>
    public const string AllLinear = "all-linear";

    /// <summary>Reads <c>--lora-rank</c> and a comma-separated <c>--lora-targets</c> (default: q_proj,v_proj, PEFT's default for Llama).</summary>
    /// <exception cref="BadInputException">A rank below 1 or a module no decoder layer has.</exception>
    public static PlanLora Parse(int rank, string? targets, string source = "--lora-targets")
    {
        if (rank < 1) throw new BadInputException($"--lora-rank: the rank must be at least 1 (got {rank}).");
        string[] names = (targets ?? "q_proj,v_proj").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 1 && names[0] == AllLinear) names = [.. Projections];
        var unknown = names.Where(n => !Projections.Contains(n)).ToArray();
        if (names.Length == 0 || unknown.Length > 0)
            throw new BadInputException($"{source}: unknown module(s) {string.Join(", ", unknown.DefaultIfEmpty("(none given)"))}; use {string.Join(", ", Projections)} or {AllLinear}.");
        return new PlanLora(rank, [.. names.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Whether the projection named <paramref name="module"/> (e.g. q_proj) carries an adapter.</summary>
    public bool Targets(string module) => TargetModules.Contains(module);

    public override string ToString() => $"LoRA r={Rank} on {string.Join(",", TargetModules)}";
}
