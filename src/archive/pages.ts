/**
 * The public pages, in Spanish, readable on a phone: the archive of official messages, one message by
 * its code, and the form that checks a pasted text. Merge fields are shown as what they stand for
 * ("nombre del destinatario"), never filled with anyone's data.
 */
import { DateTime } from 'luxon';
import type { ArchivedMessage } from './archive-store.js';
import { html, page, type Html } from './html.js';
import { templatePieces } from './template-pieces.js';
import type { Refusal, Verdict } from './verify.js';

export type PageContext = { zone: string };

const LANGUAGE_NAMES: Record<string, string> = { es: 'castellano', gn: 'guaraní' };

const REFUSAL_TEXT: Record<Refusal, string> = {
  empty: 'No se pegó ningún texto.',
  foreign_link: 'Su enlace de verificación lleva a otro sitio: los mensajes oficiales enlazan solo a esta página.',
  unknown_code: 'Su código de verificación no corresponde a ningún mensaje oficial.',
  differs: 'El texto no coincide con el mensaje oficial de su código: fue modificado.',
  no_match: 'Ningún mensaje oficial dice esto.',
};

export function archivePage(entries: ArchivedMessage[], nextPage: string | null, ctx: PageContext): string {
  return page(
    'Mensajes oficiales',
    html`<p>Todos los mensajes enviados, tal como fueron escritos. Las partes <span class="field">resaltadas</span> se completan con los datos de cada destinatario.</p>
${entries.length ? entries.map((entry) => entryHtml(entry, ctx)) : html`<p>Todavía no se publicó ningún mensaje.</p>`}
${nextPage ? html`<p><a href="${nextPage}">Mensajes anteriores</a></p>` : null}`,
  );
}

export function entryPage(entry: ArchivedMessage, ctx: PageContext): string {
  return page(`Mensaje oficial ${entry.code}`, entryHtml(entry, ctx));
}

export function verifyPage(ctx: PageContext, outcome?: { text: string; verdict: Verdict<ArchivedMessage> }): string {
  return page(
    'Verificar un mensaje',
    html`${outcome ? verdictHtml(outcome.verdict, ctx) : null}
<form method="post" action="/verify">
<p><label for="text">Pegue aquí el mensaje que recibió o que le reenviaron:</label></p>
<textarea id="text" name="text" maxlength="5000" required>${outcome?.text ?? ''}</textarea>
<p><button type="submit">Verificar</button></p>
</form>
<form method="get" action="/verify">
<p><label for="code">¿Tiene un código de verificación?</label> <input id="code" name="code" size="7" maxlength="20" autocapitalize="characters"> <button type="submit">Buscar</button></p>
</form>`,
  );
}

export function notFoundPage(message: string): string {
  return page('No encontrado', html`<p>${message}</p><p><a href="/verify">Verificar un mensaje</a></p>`);
}

function verdictHtml(verdict: Verdict<ArchivedMessage>, ctx: PageContext): Html {
  if (verdict.official) {
    return html`<section class="ok" role="status"><h2>✔ Es un mensaje oficial</h2>
<p>Coincide palabra por palabra con el mensaje oficial ${verdict.entry.code}.</p>${entryHtml(verdict.entry, ctx)}</section>`;
  }
  const closest = verdict.closest;
  return html`<section class="bad" role="status"><h2>✘ No es un mensaje oficial</h2>
<p>${REFUSAL_TEXT[verdict.reason]}</p>
${
  closest
    ? html`<p>El mensaje oficial más parecido es el <a href="/v/${closest.entry.code}">${closest.entry.code}</a> (${Math.round(closest.similarity * 100)} % de palabras iguales).
Lo <del>tachado</del> falta en el texto pegado; lo <ins>marcado</ins> fue agregado.</p>
<div class="body">${closest.diff.map((part) =>
        part.kind === 'added' ? html`<ins>${part.text}</ins>` : part.kind === 'removed' ? html`<del>${part.text}</del>` : part.kind === 'field' ? html`<span class="field">${part.text}</span>` : part.text,
      )}</div>`
    : null
}</section>`;
}

function entryHtml(entry: ArchivedMessage, ctx: PageContext): Html {
  return html`<article>
<p class="meta">Código <a href="/v/${entry.code}"><strong>${entry.code}</strong></a> · ${formatDate(entry.publishedAt, ctx.zone)} · ${LANGUAGE_NAMES[entry.language] ?? entry.language}</p>
<p class="meta">${entry.campaignName ?? ''} · Para: ${entry.audience.description ?? ''} · Envía: ${entry.sender}</p>
${entry.corrects ? html`<p>Corrige el mensaje <a href="/v/${entry.corrects}">${entry.corrects}</a>.</p>` : null}
<div class="body">${templatePieces(entry.body).map((piece) => ('field' in piece ? html`<span class="field" title="${piece.field}">${fieldLabel(piece.field)}</span>` : piece.text))}</div>
${entry.correctedBy.length ? html`<p><strong>Este mensaje fue corregido:</strong> ${entry.correctedBy.map((code) => html`<a href="/v/${code}">${code}</a> `)}</p>` : null}
</article>`;
}

function fieldLabel(field: string): string {
  if (field === 'contact.name') return 'nombre del destinatario';
  if (field === 'campaign.name') return 'nombre de la campaña';
  if (field.startsWith('school.results.')) return 'resultado de la escuela';
  if (field.startsWith('school.')) return 'dato de la escuela';
  return 'dato del destinatario';
}

function formatDate(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).setLocale('es').toFormat("d 'de' LLLL 'de' yyyy, HH:mm");
}
