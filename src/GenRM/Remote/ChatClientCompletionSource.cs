using System.Collections.Concurrent;
using GenRM.Generation;
using GenRM.Judging;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatMessage = GenRM.Data.ChatMessage;

namespace GenRM.Remote;

/// <summary>
/// Continuations from an OpenAI-compatible endpoint through <see cref="IChatClient"/>, so the
/// expensive sampling of STaR and of chain-of-thought judges can run on an inference engine while
/// training stays here. Every sample is its own request with a seed derived from the options'
/// seed, the prompt and the sample index (the same seed asks the same questions); at most
/// <see cref="RemoteSamplingConfig.MaxConcurrency"/> are in flight, and transient failures are
/// retried with backoff. <see cref="Usage"/> records which endpoint and model answered.
/// </summary>
public sealed class ChatClientCompletionSource : ICompletionSource, IDisposable
{
    readonly IChatClient client;
    readonly ChatEndpoint endpoint;
    readonly RemoteSamplingConfig config;
    readonly SemaphoreSlim slots;
    readonly ConcurrentDictionary<string, byte> respondingModels = new(StringComparer.Ordinal);
    int requests, retries, unreadable;

    /// <summary>Talks to <paramref name="endpoint"/> through <paramref name="client"/> (e.g. from <see cref="ChatEndpoint.CreateChatClient"/>); the client is disposed with this source.</summary>
    public ChatClientCompletionSource(IChatClient client, ChatEndpoint endpoint, RemoteSamplingConfig? config = null)
    {
        this.client = client;
        this.endpoint = endpoint;
        this.config = (config ?? new RemoteSamplingConfig()).Validated();
        slots = new SemaphoreSlim(this.config.MaxConcurrency);
    }

    /// <summary>A source for <paramref name="endpoint"/> with the OpenAI client.</summary>
    public static ChatClientCompletionSource Create(ChatEndpoint endpoint, RemoteSamplingConfig? config = null)
    {
        var settings = config ?? new RemoteSamplingConfig();
        return new ChatClientCompletionSource(endpoint.CreateChatClient(settings.RequestTimeout), endpoint, settings);
    }

    public string Source => endpoint.ToString();

    /// <summary>What has been asked of the endpoint so far and who answered.</summary>
    public EndpointUsage Usage => new(endpoint.BaseUrl.ToString(), endpoint.Model, [.. respondingModels.Keys.Order(StringComparer.Ordinal)], requests, retries, unreadable);

    public IReadOnlyList<string> Sample(IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, int samples, GenerationOptions options, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        options.Validated();
        var tasks = prompts.SelectMany((prompt, p) => Enumerable.Range(0, samples).Select(s =>
            Ask(prompt, ChatOptionsFor(options, options.Seed * 1_000_003 + (long)p * samples + s), cancellation))).ToArray();
        return [.. Task.WhenAll(tasks).GetAwaiter().GetResult().Select(r => r.Text)];
    }

    public IReadOnlyList<double> VerdictProbabilities(IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, string replyA, string replyB, CancellationToken cancellation = default)
    {
        var options = new ChatOptions
        {
            Temperature = 0,
            MaxOutputTokens = config.VerdictMaxTokens,
            RawRepresentationFactory = _ => new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = config.TopLogProbs },
        };
        var tasks = prompts.Select(prompt => Ask(prompt, options, cancellation)).ToArray();
        var responses = Task.WhenAll(tasks).GetAwaiter().GetResult();
        return [.. responses.Select(response =>
        {
            if (response.RawRepresentation is not ChatCompletion completion)
                throw new BadInputException($"endpoint {Source}: the chat client gave no OpenAI response to read logprobs from; the direct verdict readout needs an OpenAI-compatible client.");
            double? probability = VerdictLogProbs.Read(completion, replyA, replyB, Source);
            if (probability is null) Interlocked.Increment(ref unreadable);
            return probability ?? 0.5;
        })];
    }

    async Task<ChatResponse> Ask(IReadOnlyList<ChatMessage> prompt, ChatOptions options, CancellationToken cancellation)
    {
        var messages = prompt.Select(m => new AiChatMessage(new ChatRole(m.Role), m.Content)).ToList();
        await slots.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var response = await TransientRetry.Run(
                token => { Interlocked.Increment(ref requests); return client.GetResponseAsync(messages, options, token); },
                config, () => Interlocked.Increment(ref retries), cancellation).ConfigureAwait(false);
            respondingModels.TryAdd(response.ModelId ?? "(unnamed)", 0);
            return response;
        }
        finally
        {
            slots.Release();
        }
    }

    static ChatOptions ChatOptionsFor(GenerationOptions options, long seed) => new()
    {
        Temperature = (float)options.Temperature,
        TopP = (float)options.TopP,
        TopK = options.TopK > 0 ? options.TopK : null,
        MaxOutputTokens = options.MaxNewTokens,
        StopSequences = options.StopStrings.Count > 0 ? [.. options.StopStrings] : null,
        Seed = seed,
    };

    public void Dispose()
    {
        client.Dispose();
        slots.Dispose();
    }
}
