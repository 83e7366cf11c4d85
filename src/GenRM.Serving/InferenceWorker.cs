using System.Threading.Channels;
using GenRM.Judging;

namespace GenRM.Serving;

/// <summary>
/// The one thread that runs the model. Requests wait in a bounded queue; when one arrives the
/// worker waits <see cref="ServerConfig.BatchWindow"/> for others to join, then takes up to
/// <see cref="ServerConfig.MaxBatchRequests"/>: preference requests are judged in one call (one
/// batched forward pass) where the judge's readout allows, chat requests that sample alike share
/// one generation batch. A batch that fails is retried request by request, so one bad request
/// cannot fail the others. Requests whose caller gave up are skipped.
/// </summary>
public sealed class InferenceWorker : IDisposable
{
    readonly ServedModel model;
    readonly ServerConfig config;
    readonly Channel<Work> queue;
    readonly CancellationTokenSource stopping = new();
    readonly Thread worker;
    long nextSeed;

    public InferenceWorker(ServedModel model, ServerConfig config)
    {
        this.model = model;
        this.config = config;
        nextSeed = config.Seed;
        queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(config.MaxQueuedRequests) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        worker = new Thread(Run) { IsBackground = true, Name = "genrm-inference" };
        worker.Start();
    }

    /// <summary>Forward passes run so far, and requests they served (a measure of batching).</summary>
    public (long Passes, long Requests) Batching => (Interlocked.Read(ref passes), Interlocked.Read(ref served));
    long passes, served;

    /// <summary>Judges one item, sharing a forward pass with concurrent requests where possible.</summary>
    public Task<Judgement> Judge(JudgeItem item, CancellationToken cancellation) => Enqueue(new PreferenceWork(item, cancellation));

    /// <summary>Changes the weights served (loads or unloads an adapter, reloads the base) between batches, so no request runs on weights being changed; returns the change's reply.</summary>
    public Task<string> ChangeWeights(Func<string> change, CancellationToken cancellation) => Enqueue(new WeightsWork(change, cancellation));

    /// <summary>Generates a chat request's n choices.</summary>
    public Task<IReadOnlyList<ChatChoice>> Chat(ChatRequest request, CancellationToken cancellation) => Enqueue(new ChatWork(request, cancellation));

    Task<T> Enqueue<T>(Work<T> work)
    {
        if (!queue.Writer.TryWrite(work))
            throw new ApiException(503, "server_busy", $"the server is busy ({config.MaxQueuedRequests} requests waiting); retry later.");
        return work.Result.Task;
    }

    void Run()
    {
        var token = stopping.Token;
        try
        {
            while (queue.Reader.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
            {
                if (config.BatchWindow > TimeSpan.Zero) Thread.Sleep(config.BatchWindow);
                var batch = new List<Work>();
                while (batch.Count < config.MaxBatchRequests && queue.Reader.TryRead(out Work? work))
                    if (!work.Abandoned) batch.Add(work);
                RunBatch([.. batch.OfType<PreferenceWork>()], token);
                foreach (var group in batch.OfType<ChatWork>().GroupBy(w => w.BatchKey))
                    RunChat([.. group], token);
                // After the batch's requests, which were admitted under the weights they named.
                foreach (var change in batch.OfType<WeightsWork>())
                    Complete([change], changes => [changes[0]()]);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Shutting down: pending requests are cancelled below.
        }
        while (queue.Reader.TryRead(out Work? left))
            left.Cancel();
    }

    void RunBatch(PreferenceWork[] works, CancellationToken token)
    {
        if (works.Length == 0) return;
        if (!model.BatchesJudgements)
        {
            foreach (var work in works) Complete([work], items => model.Judge(items, token));
            return;
        }
        Complete(works, items => model.Judge(items, token));
    }

    void RunChat(ChatWork[] works, CancellationToken token) =>
        Complete(works, requests =>
        {
            var prompts = requests.SelectMany(r => Enumerable.Repeat(r.PromptIds, r.N)).ToArray();
            // Unseeded requests share the batch's seed, the next of the server's.
            var options = requests[0].SeedGiven ? requests[0].Options : requests[0].Options with { Seed = Interlocked.Increment(ref nextSeed) };
            var completions = model.Generate(prompts, options, requests[0].Adapter, token);
            int at = 0;
            return [.. requests.Select(r =>
            {
                var choices = completions.Skip(at).Take(r.N).Select(c => new ChatChoice(c, r.LogProbs ? model.LogProbs(r.PromptIds, c, r.TopLogProbs, r.Adapter) : null)).ToArray();
                at += r.N;
                return (IReadOnlyList<ChatChoice>)choices;
            })];
        });

    /// <summary>Runs a batch and hands out its results; on failure, each request alone, so the failure lands only on the request that causes it.</summary>
    void Complete<TInput, TResult>(Work<TInput, TResult>[] works, Func<IReadOnlyList<TInput>, IReadOnlyList<TResult>> run)
    {
        try
        {
            var results = run([.. works.Select(w => w.Input)]);
            Interlocked.Increment(ref passes);
            Interlocked.Add(ref served, works.Length);
            for (int i = 0; i < works.Length; i++) works[i].Result.TrySetResult(results[i]);
        }
        catch (Exception e) when (works.Length > 1 && e is not OperationCanceledException)
        {
            foreach (var work in works) Complete([work], run);
        }
        catch (Exception e)
        {
            works[0].Result.TrySetException(e is BadInputException or ArgumentException ? ApiException.Invalid(e.Message) : e);
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        queue.Writer.TryComplete();
        worker.Join(TimeSpan.FromSeconds(30));
        stopping.Dispose();
    }

    abstract class Work(CancellationToken cancellation)
    {
        public bool Abandoned => cancellation.IsCancellationRequested;

        public abstract void Cancel();
    }

    abstract class Work<TResult>(CancellationToken cancellation) : Work(cancellation)
    {
        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Cancel() => Result.TrySetCanceled();
    }

    abstract class Work<TInput, TResult>(TInput input, CancellationToken cancellation) : Work<TResult>(cancellation)
    {
        public TInput Input => input;
    }

    sealed class PreferenceWork(JudgeItem item, CancellationToken cancellation) : Work<JudgeItem, Judgement>(item, cancellation);

    sealed class ChatWork(ChatRequest request, CancellationToken cancellation) : Work<ChatRequest, IReadOnlyList<ChatChoice>>(request, cancellation)
    {
        /// <summary>Requests batch together only when they sample alike; a seeded request also keeps its own seed stream, so it runs alone.</summary>
        public object BatchKey { get; } = request.SeedGiven
            ? new object()
            : (request.Adapter, request.Options.Temperature, request.Options.TopP, request.Options.TopK, request.Options.MaxNewTokens, string.Join('\u0001', request.Options.StopStrings));
    }

    sealed class WeightsWork(Func<string> change, CancellationToken cancellation) : Work<Func<string>, string>(change, cancellation);
}
