// Why the HTTP server could not start, in terms of the settings a self-hoster can change.

/** listen() errors name the setting to change: EADDRINUSE → PORT, an address not here → HOST. */
export function listenError(err: unknown, port: number, host: string): Error {
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE') return new Error(`PORT=${port} is already in use on ${host}: stop what listens there or choose another PORT`);
  if (code === 'EACCES') return new Error(`PORT=${port} needs privileges to listen on; choose a PORT above 1023`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new Error(`HOST=${host} is not an address of this machine (${code}); use 0.0.0.0 for every interface or 127.0.0.1 for this machine only`);
  return new Error(`cannot listen on HOST=${host} PORT=${port}: ${(err as Error).message}`);
}
