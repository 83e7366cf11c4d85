using System.Diagnostics;
using GenRM.Data;
using GenRM.Evaluation;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Remote;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Bootstrapping;

/// <summary>
/// The STaR bootstrapping loop of the paper. The training set is cut into equal parts, one per
/// iteration; in iteration i the latest model samples k rationales for each item of part i (shown
/// in a seeded A/B order), the verdicts are parsed, and the model trains on what the filter keeps:
/// STaR-SFT on rationales whose verdict matches the label, STaR-DPO on (right, wrong) rationale
/// pairs of the same item against the model at the iteration's start, the rationalizer on
/// explanations it wrote when told the better answer. After each iteration the chain-of-thought
/// judge is scored on the held-out slice. With <see cref="StarConfig.RestartFromBase"/> each
/// iteration's training starts again from the base model on every iteration's samples so far, as
/// the original STaR does. The sampling phase can run elsewhere: a
/// <paramref name="sampler"/> (e.g. an inference engine behind an OpenAI-compatible endpoint) then
/// writes the rationales, and it must serve the weights being trained (the base model in iteration 1);
/// an <see cref="EngineSampler"/> is handed each iteration's trained weights, so it does, and then also
/// judges the held-out slice.
/// </summary>
public sealed class StarLoop(LanguageModel model, ConversationEncoder encoder, IJudgePromptFormat format, StarConfig config, ICompletionSource? sampler = null)
{
    public IReadOnlyList<StarIteration> Run(IReadOnlyList<PreferencePair> train, IReadOnlyList<PreferencePair> heldOut, string? runDirectory = null,
        IProgress<TrainingProgress>? progress = null, TextWriter? log = null, SamplingJournal? journal = null, CancellationToken cancellation = default)
    {
        config.Validated();
        var engine = sampler as EngineSampler;
        if (engine is not null && runDirectory is null)
            throw new ArgumentException("An engine sampler is handed the trained weights as files: give a run directory.", nameof(runDirectory));
        string name = $"star-{config.Variant.ToString().ToLowerInvariant()}";
        var rationaleSource = sampler ?? new LocalCompletionSource(model, encoder, config.SamplingBatchSize, int.MaxValue, progress, $"{name} sampling", journal);
        var parts = DataSplits.EqualParts(train, config.Iterations, config.Seed);
        var iterations = new List<StarIteration>();
        // With adapters the base weights never change: starting again from the base is dropping the adapters, with no copy kept.
        bool adapters = (config.Variant == StarVariant.Dpo ? config.Dpo.Training : config.Sft.Training).Lora is not null && model.Lora is null;
        using var baseModel = config.RestartFromBase && !adapters ? model.Clone() : null;
        var accumulated = new List<RationaleSample>();
        for (int i = 0; i < config.Iterations; i++)
        {
            string? folder = runDirectory is null ? null : Path.Combine(runDirectory, $"iteration-{i + 1}");
            var part = parts[i];
            log?.WriteLine($"[{name}] iteration {i + 1}/{config.Iterations}: sampling {config.SamplesPerItem} rationales for {part.Length} items ({rationaleSource.Source})");
            var clock = Stopwatch.StartNew();
            var sampledOn = engine?.Serving;
            var samples = Sample(rationaleSource, part, i, cancellation);
            double sampling = clock.Elapsed.TotalSeconds;
            if (config.RestartFromBase)
            {
                accumulated.AddRange(samples);
                if (baseModel is null) model.RemoveLora();
                else model.LoadWeightsFrom(baseModel);
            }
            TrainingResult? training = Train(config.RestartFromBase ? accumulated : samples, i, folder, progress, log, out int built, cancellation);
            // The filter may keep nothing: then the weights did not change and the engine keeps serving them.
            if (engine is not null && training is not null) engine.Follow(model, folder!, i + 1);
            double trained = clock.Elapsed.TotalSeconds;
            // Only an engine that follows the training serves the weights just trained; any other source judges here.
            var judge = engine is null ? new GenerativeJudge(name, model, encoder, format, config.Evaluation, progress, journal, $"{name} held-out judging") : new GenerativeJudge(name, engine, format, config.Evaluation);
            var judged = JudgeEvaluation.Run(judge, heldOut, config.Seed, cancellation);
            var score = SectionScoring.Plain("held-out", judged.Select(j => j.Outcome));
            var seconds = new StarIterationSeconds(sampling, trained - sampling, clock.Elapsed.TotalSeconds - trained);
            iterations.Add(new StarIteration(i + 1, part.Length, samples.Count, samples.Count(s => s.Kept), built, score.Accuracy, score.Ci95, score.N, training, samples, seconds)
            {
                HeldOutOutcomes = [.. judged.Select(j => j.Outcome)],
                SampledOn = sampledOn,
                JudgedOn = engine?.Serving,
            });
            log?.WriteLine($"[{name}] iteration {i + 1}: kept {iterations[^1].Kept}/{samples.Count} rationales, {built} training examples, held-out accuracy {score.Accuracy:P1} ({judge.Source}) "
                + $"(sampling {seconds.Sampling:F0} s, training {seconds.Training:F0} s, held-out judging {seconds.HeldOut:F0} s)");
        }
        return iterations;
    }

    /// <summary>Samples k rationales per item; the rationalizer samples after the hinted prompt, the others after the plain chain-of-thought prompt.</summary>
    List<RationaleSample> Sample(ICompletionSource rationaleSource, IReadOnlyList<PreferencePair> part, int iteration, CancellationToken cancellation)
    {
        int orderSeed = config.Seed + 7919 * (iteration + 1);
        var shown = part.Select(p => (Pair: p, Shown: AbOrder.Arrange(p, orderSeed))).ToArray();
        var prompts = shown.Select(s =>
        {
            Verdict correct = s.Shown.ChosenIsA ? Verdict.A : Verdict.B;
            var plain = format.ChainOfThought(s.Pair.Prompt, s.Shown.ResponseA, s.Shown.ResponseB);
            var asked = config.Variant == StarVariant.Rationalizer ? format.Rationalizer(s.Pair.Prompt, s.Shown.ResponseA, s.Shown.ResponseB, correct) : plain;
            return (s.Pair.Id, Plain: plain, Asked: asked, Correct: correct);
        }).ToArray();
        var options = config.Sampling with { Seed = config.Seed * 31 + iteration };
        var texts = rationaleSource.Sample([.. prompts.Select(p => p.Asked)], config.SamplesPerItem, options, cancellation);
        var samples = new List<RationaleSample>(texts.Count);
        for (int i = 0; i < texts.Count; i++)
        {
            var p = prompts[i / config.SamplesPerItem];
            // The rationalizer's explanation is trained as the answer to the prompt without the hint.
            samples.Add(new RationaleSample(p.Id, p.Plain, texts[i], VerdictParser.Parse(texts[i]), p.Correct));
        }
        return samples;
    }

    TrainingResult? Train(List<RationaleSample> samples, int iteration, string? folder, IProgress<TrainingProgress>? progress, TextWriter? log, out int built, CancellationToken cancellation)
    {
        string phase = $"star-{config.Variant.ToString().ToLowerInvariant()}-{iteration + 1}";
        if (config.Variant == StarVariant.Dpo)
        {
            var pairs = DpoPairs(samples);
            built = pairs.Count;
            if (folder is not null) TrainingDataExport.WriteDpo(Path.Combine(folder, "dpo.jsonl"), pairs.Select(p => (p.Prompt, p.Chosen, p.Rejected)));
            if (pairs.Count == 0) return Skipped(log, phase);
            var examples = pairs.Select(p =>
            {
                var (prompt, chosen, rejected) = encoder.Completions(p.Prompt, p.Chosen, p.Rejected);
                return new PreferenceExample(prompt, chosen, rejected);
            }).ToArray();
            // The reference is the model as it starts this iteration; its log-probabilities are computed once.
            var withReference = DpoTrainer.ComputeReference(model, examples, config.Dpo.Training.BatchSize, config.Dpo.Training.MaxLength, encoder.Tokenizer.PadId);
            return new DpoTrainer(model, config.Dpo, encoder.Tokenizer.PadId).Train(withReference, folder, progress, log, phase, cancellation);
        }
        var kept = samples.Where(s => s.Kept).DistinctBy(s => (s.ItemId, s.Text)).ToArray();
        built = kept.Length;
        if (folder is not null) TrainingDataExport.WriteSft(Path.Combine(folder, "sft.jsonl"), kept.Select(s => (s.JudgePrompt, s.Text)));
        if (kept.Length == 0) return Skipped(log, phase);
        var sft = kept.Select(s =>
        {
            var (prompt, rationale) = encoder.Completion(s.JudgePrompt, s.Text);
            return new SftExample(prompt, rationale);
        }).ToArray();
        return new SftTrainer(model, config.Sft, encoder.Tokenizer.PadId).Train(sft, folder, progress, log, phase, cancellation);
    }

    /// <summary>Per item, up to DpoPairsPerItem (right, wrong) rationale pairs, in sampling order.</summary>
    List<(IReadOnlyList<ChatMessage> Prompt, string Chosen, string Rejected)> DpoPairs(List<RationaleSample> samples) =>
        [.. samples.GroupBy(s => s.ItemId).SelectMany(item =>
        {
            var right = item.Where(s => s.Kept).DistinctBy(s => s.Text).ToArray();
            var wrong = item.Where(s => s.Wrong).DistinctBy(s => s.Text).ToArray();
            return right.Zip(wrong).Take(config.DpoPairsPerItem).Select(p => (p.First.JudgePrompt, p.First.Text, p.Second.Text));
        })];

    static TrainingResult? Skipped(TextWriter? log, string phase)
    {
        log?.WriteLine($"{phase}: the filter kept nothing to train on; the model is unchanged this iteration.");
        return null;
    }
}
