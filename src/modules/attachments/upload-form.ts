// Forms with files (multipart): the CSRF token is read before any file, so no byte is stored for a forged form; then files go to disk as they arrive.
import fastifyMultipart, { type Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AttachmentsService, RefusedFile, StagedFile, UploadLimits } from './attachments-service.js';
import { cleanFilename } from './file-types.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on routes whose forms may carry files; a multipart body anywhere else never gets past the CSRF check. */
    acceptsUploads?: boolean;
  }
}

/** Beyond the allowed number, this many more files are read and refused one by one; past that the request is cut off (413). */
const surplusFiles = 20;

type PendingParts = { iterator: AsyncIterator<Multipart>; firstFile?: Multipart; finished: boolean };
const pending = new WeakMap<FastifyRequest, PendingParts>();

function addField(fields: Record<string, string | string[]>, name: string, value: string): void {
  const existing = fields[name];
  if (existing === undefined) fields[name] = value;
  else fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** Busboy's errors about a broken body (no boundary, cut off) carry no status, yet the client caused them: 400, not 500. */
function asBadRequest(error: unknown): unknown {
  if (error instanceof Error && (error as { statusCode?: unknown }).statusCode === undefined) return Object.assign(error, { statusCode: 400 });
  return error;
}

function nextPart(state: PendingParts): Promise<IteratorResult<Multipart>> {
  return state.iterator.next().catch((error: unknown) => { throw asBadRequest(error); });
}

/** Reads a multipart form up to its CSRF token or its first file, whichever comes first; the files wait for the route. */
async function readFieldsBeforeFiles(request: FastifyRequest, { maxFiles, maxBytes }: UploadLimits): Promise<void> {
  let parts: AsyncIterableIterator<Multipart>;
  try {
    parts = request.parts({
      limits: { fileSize: maxBytes, files: maxFiles + surplusFiles, fields: 100, fieldSize: 256 * 1024, parts: maxFiles + surplusFiles + 100 },
    });
  } catch (error) {
    throw asBadRequest(error);
  }
  const state: PendingParts = { iterator: parts[Symbol.asyncIterator](), finished: false };
  const fields: Record<string, string | string[]> = {};
  // Fields up to the token; the first file stops the reading, and without a token before it the form is refused.
  for (;;) {
    const next = await nextPart(state);
    if (next.done) {
      state.finished = true;
      break;
    }
    if (next.value.type === 'file') {
      state.firstFile = next.value;
      break;
    }
    addField(fields, next.value.fieldname, String(next.value.value));
    if (next.value.fieldname === '_csrf') break;
  }
  request.body = fields;
  pending.set(request, state);
}

async function uploadFormsPlugin(app: FastifyInstance, { limits }: { limits: () => UploadLimits }) {
  await app.register(fastifyMultipart, { throwFileSizeLimit: false });

  // Registered before the security plugin: its CSRF hook then finds the token in request.body like on any other form.
  // Callback hooks: they run on every request, and a GET needs neither a promise nor a turn of the microtask queue.
  app.addHook('preValidation', (request, _reply, done) => {
    if (!request.isMultipart() || !request.routeOptions.config.acceptsUploads) return done();
    readFieldsBeforeFiles(request, limits()).then(() => done(), done);
  });

  // A form refused before its files were read (no valid token) leaves them on the wire: close that connection.
  app.addHook('onResponse', (request, _reply, done) => {
    const state = pending.get(request);
    if (state && !state.finished) request.raw.destroy();
    done();
  });
}

export const uploadForms = fp(uploadFormsPlugin, { name: 'upload-forms' });

export type UploadForm = {
  /** The text fields, as a urlencoded form would have given them. */
  body: Record<string, unknown>;
  /** Files that arrived now or were kept from the previous try of this form, all staged. */
  files: StagedFile[];
  refused: RefusedFile[];
};

/**
 * Reads the rest of a form that may carry files: stages each file (checked and stored) and keeps the text fields.
 * A urlencoded form (no files) goes through the same way, so routes handle one shape.
 */
export async function receiveUploadForm(request: FastifyRequest, attachments: AttachmentsService, uploaderId: number | null): Promise<UploadForm> {
  const body = { ...((request.body ?? {}) as Record<string, string | string[]>) };
  const state = pending.get(request);
  const limits = attachments.limits();
  const refused: RefusedFile[] = [];
  const fresh: StagedFile[] = [];
  // The page puts the kept files' tokens before the file input, so they are known before the first new file counts.
  let kept: StagedFile[] | undefined;
  const keptFiles = () => (kept ??= attachments.kept(asList(body.keepAttachment), uploaderId));

  async function take(part: Multipart): Promise<void> {
    if (part.type !== 'file') {
      addField(body, part.fieldname, String(part.value));
      return;
    }
    // A body cut off inside a file fails the file's stream: the client's doing (400), unlike a failing disk.
    try {
      await takeFile(part);
    } catch (error) {
      throw part.file.errored ? asBadRequest(error) : error;
    }
  }

  async function takeFile(part: Multipart & { type: 'file' }): Promise<void> {
    const incoming = { filename: part.filename, stream: part.file, truncated: () => part.file.truncated };
    // A file input left empty still sends a nameless, empty part.
    if (!part.filename) return attachments.drain(incoming);
    if (keptFiles().length + fresh.length >= limits.maxFiles) {
      await attachments.drain(incoming);
      refused.push({
        filename: cleanFilename(part.filename),
        message: `„${cleanFilename(part.filename)}“ wurde nicht angenommen: Pro Nachricht sind höchstens ${limits.maxFiles} Dateien möglich.`,
      });
      return;
    }
    const result = await attachments.stage(incoming, uploaderId, limits);
    if ('staged' in result) fresh.push(result.staged);
    else refused.push(result.refused);
  }

  if (state && !state.finished) {
    if (state.firstFile) await take(state.firstFile);
    for (;;) {
      const next = await nextPart(state);
      if (next.done) break;
      await take(next.value);
    }
    state.finished = true;
  }
  return { body, files: [...keptFiles(), ...fresh], refused };
}

/** The German message for the file field when something was refused, naming each file and why. */
export function refusedMessage(refused: RefusedFile[]): string | undefined {
  if (refused.length === 0) return undefined;
  const intro = refused.length === 1 ? '' : `${refused.length} Dateien wurden nicht angenommen. `;
  return `${intro}${refused.map((file) => file.message).join(' ')} Ihre übrigen Angaben und die angenommenen Dateien bleiben erhalten.`;
}
