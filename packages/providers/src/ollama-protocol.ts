import { type Protocol, wireMessages } from './protocol.ts'
import { badResponse, checkVectors, isRecord } from './response-shape.ts'

/**
 * Ollama's native API (docs/api.md in ollama/ollama): `POST /api/embed` takes a batch in
 * `input` and answers `{embeddings}`; `POST /api/chat` with `stream: false` answers one
 * object whose token counts are `prompt_eval_count` and `eval_count`.
 */
export const ollamaProtocol: Protocol = {
  embedPath: '/api/embed',
  embedBody: (model, texts) => ({ model, input: texts }),
  embedVectors(label, json, count) {
    if (!isRecord(json) || !Array.isArray(json.embeddings)) throw badResponse(label, 'without an `embeddings` array')
    return checkVectors(label, json.embeddings, count)
  },
  chatPath: '/api/chat',
  chatBody: (model, messages, options) => ({
    model,
    messages: wireMessages(messages),
    stream: false,
    // Unset options stay out of the body (JSON drops undefined), so the model's own defaults apply.
    options: { temperature: options.temperature, num_predict: options.maxTokens },
  }),
  chatCompletion(label, json) {
    const message = isRecord(json) ? json.message : undefined
    if (!isRecord(message) || typeof message.content !== 'string') throw badResponse(label, 'without `message.content`')
    const prompt = isRecord(json) ? json.prompt_eval_count : undefined
    const completion = isRecord(json) ? json.eval_count : undefined
    // Ollama omits prompt_eval_count when the whole prompt came from its cache.
    if (typeof prompt !== 'number' && typeof completion !== 'number') return { content: message.content }
    return {
      content: message.content,
      usage: { prompt_tokens: typeof prompt === 'number' ? prompt : 0, completion_tokens: typeof completion === 'number' ? completion : 0 },
    }
  },
}
