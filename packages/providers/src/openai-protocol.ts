import { type Protocol, wireMessages } from './protocol.ts'
import { badResponse, checkVectors, isRecord } from './response-shape.ts'

/**
 * The OpenAI REST dialect spoken by OpenAI and most self-hosted servers (vLLM, llama.cpp,
 * LM Studio). Paths are relative to the base URL, which usually ends in `/v1`.
 */
export const openaiProtocol: Protocol = {
  embedPath: '/embeddings',
  embedBody: (model, texts) => ({ model, input: texts }),
  embedVectors(label, json, count) {
    if (!isRecord(json) || !Array.isArray(json.data)) throw badResponse(label, 'without a `data` array')
    // The API does not promise `data` in input order; `index` is authoritative, so place by it.
    const byIndex: unknown[] = new Array(json.data.length)
    for (const item of json.data) {
      const index = isRecord(item) ? item.index : undefined
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || byIndex[index] !== undefined) {
        throw badResponse(label, `an item whose \`index\` is missing, out of range or repeated (${String(index)})`)
      }
      byIndex[index] = (item as Record<string, unknown>).embedding
    }
    return checkVectors(label, byIndex, count)
  },
  chatPath: '/chat/completions',
  chatBody: (model, messages, options) => ({
    model,
    messages: wireMessages(messages),
    temperature: options.temperature,
    max_tokens: options.maxTokens,
  }),
  chatCompletion(label, json) {
    const choices = isRecord(json) ? json.choices : undefined
    const first: unknown = Array.isArray(choices) ? choices[0] : undefined
    const message = isRecord(first) ? first.message : undefined
    if (!isRecord(message) || typeof message.content !== 'string') throw badResponse(label, 'without `choices[0].message.content`')
    const usage = isRecord(json) ? json.usage : undefined
    if (!isRecord(usage) || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') {
      return { content: message.content }
    }
    return { content: message.content, usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens } }
  },
}
