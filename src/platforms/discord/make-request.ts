// File uploads (interaction replies with a file, e.g. /feeds export) through discord.js.
// @discordjs/rest sends requests with its own undici 6, but through the process-wide
// dispatcher, which Herald's undici 7 fetcher installs when it is imported; undici 7
// cannot read a multipart FormData body built for undici 6 ("action is not a function").
// Serialising the multipart body to bytes first keeps every request a plain byte body.
import { DefaultRestOptions, type RESTOptions } from 'discord.js';

type MakeRequest = RESTOptions['makeRequest'];

export const makeRequest: MakeRequest = async (url, init) => {
  if (!(init.body instanceof FormData)) return DefaultRestOptions.makeRequest(url, init);
  // Node's Response encodes the form and names its boundary in the content type.
  const encoded = new Response(init.body);
  const body = new Uint8Array(await encoded.arrayBuffer());
  const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
  headers.set('content-type', encoded.headers.get('content-type') ?? 'multipart/form-data');
  return DefaultRestOptions.makeRequest(url, { ...init, body, headers: Object.fromEntries(headers) });
};
