namespace GenRM.Experiments;

/// <summary>
/// Wall seconds of one method's phases in a study: training (model copies and saving included),
/// STaR's rationale sampling and held-out judging between iterations, and the final evaluation on
/// every section. Non-STaR methods sample nothing; zero-shot judges train nothing.
/// </summary>
public sealed record MethodPhases(double Training, double Sampling, double HeldOut, double Evaluation)
{
    public double Total => Training + Sampling + HeldOut + Evaluation;

    public static MethodPhases operator +(MethodPhases a, MethodPhases b) =>
        new(a.Training + b.Training, a.Sampling + b.Sampling, a.HeldOut + b.HeldOut, a.Evaluation + b.Evaluation);

    public static MethodPhases Zero { get; } = new(0, 0, 0, 0);

    /// <summary>"training 20.4 s, STaR sampling 40.1 s, held-out judging 10.0 s, evaluation 12.3 s", leaving out phases that took no time.</summary>
    public override string ToString()
    {
        var parts = new[] { ("training", Training), ("STaR sampling", Sampling), ("held-out judging", HeldOut), ("evaluation", Evaluation) }
            .Where(p => p.Item2 > 0).Select(p => $"{p.Item1} {p.Item2:F1} s");
        return string.Join(", ", parts);
    }
}
