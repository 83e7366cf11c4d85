namespace GenRM.MiniWorld;

/// <summary>
/// What simple judges score on one section, computed from the world (not from any method): the
/// reference a reader needs beside each method's accuracy. Accuracies are against the section's
/// labels; a judge that cannot tell two answers apart counts as a coin flip (0.5).
/// </summary>
/// <param name="Section">The section's name (<see cref="MiniWorldSections"/>), or <c>RewardBench</c> for the mean of the four out-of-distribution ones.</param>
/// <param name="Pairs">Pairs the realized values were computed on (0 for closed-form values).</param>
/// <param name="StyleOracle">Picks the polished answer (coin flip when both or neither are).</param>
/// <param name="AntiStyle">Picks the plain answer (coin flip when both or neither are polished).</param>
/// <param name="LongerAnswer">Picks the longer answer (coin flip at equal length).</param>
/// <param name="CorrectnessOracle">Picks the right answer: equal to the labels' agreement with the truth.</param>
/// <param name="BayesOptimal">The best any judge can do knowing correctness, polish and how the annotators decide.</param>
public sealed record SectionCeilings(string Section, int Pairs, double StyleOracle, double AntiStyle, double LongerAnswer, double CorrectnessOracle, double BayesOptimal);
