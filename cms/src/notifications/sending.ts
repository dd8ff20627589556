/**
 * Wires the sending of news notifications into the CMS's lifecycle (cms/src/index.ts):
 * register: the announcement middleware (inactive until start-up is done); bootstrap, after the
 * seed: the outbox tables, every article already published recorded as announced, the worker
 * started; destroy: the worker stopped (mails in flight finished, the rest put back) and the SMTP
 * pool closed.
 */
import type { Core } from '@strapi/strapi'
import { registerAnnouncements } from './announce'
import { ensureOutboxTables, recordPublishedArticles } from './outbox'
import { OutboxWorker } from './worker'

interface State {
  ready: boolean
  worker?: OutboxWorker
  announcing: Set<Promise<unknown>>
}

const states = new WeakMap<Core.Strapi, State>()

export function registerNewsNotifications(strapi: Core.Strapi): void {
  const state: State = {
    ready: false,
    announcing: new Set(),
  }
  states.set(strapi, state)
  registerAnnouncements(strapi, {
    enabled: () => state.ready,
    onQueued: () => state.worker?.wake(),
    track: (work) => {
      state.announcing.add(work)
      void work.finally(() => state.announcing.delete(work))
    },
  })
}

/** Creates the tables (before the seed, which publishes). */
export async function prepareNewsNotifications(strapi: Core.Strapi): Promise<void> {
  await ensureOutboxTables(strapi)
}

/** After the seed: what is published now was never announced by mail and never will be. */
export async function startNewsNotifications(strapi: Core.Strapi): Promise<void> {
  const state = states.get(strapi)
  if (!state)
    return
  await recordPublishedArticles(strapi)
  state.ready = true
  if (process.env.NOTIFY_WORKER !== 'false') {
    state.worker = new OutboxWorker(strapi)
    state.worker.start()
  }
}

export async function stopNewsNotifications(strapi: Core.Strapi): Promise<void> {
  const state = states.get(strapi)
  if (!state)
    return
  state.ready = false
  await Promise.allSettled([...state.announcing])
  await state.worker?.stop()
  const provider = (strapi.plugin('email') as unknown as { provider?: { close?: () => void } }).provider
  provider?.close?.()
}
