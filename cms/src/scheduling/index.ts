/**
 * Wires scheduled publishing into the CMS's lifecycle (cms/src/index.ts): register: the schedule
 * rules (./rules.ts); bootstrap: the scheduler started, unless SCHEDULER=false; destroy: stopped
 * after the entry under way.
 */
import type { Core } from '@strapi/strapi'
import { registerScheduleRules } from './rules'
import { Scheduler } from './scheduler'

const schedulers = new WeakMap<Core.Strapi, Scheduler>()

export function registerScheduling(strapi: Core.Strapi): void {
  registerScheduleRules(strapi)
}

export function startScheduling(strapi: Core.Strapi): void {
  const scheduler = new Scheduler(strapi)
  schedulers.set(strapi, scheduler)
  if (scheduler.settings.enabled)
    scheduler.start()
}

export async function stopScheduling(strapi: Core.Strapi): Promise<void> {
  await schedulers.get(strapi)?.stop()
}

/** This instance's scheduler (also when SCHEDULER=false: tests and scripts run its ticks by hand). */
export function schedulerOf(strapi: Core.Strapi): Scheduler | undefined {
  return schedulers.get(strapi)
}
