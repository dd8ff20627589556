/**
 * The "Schedule" panel of the edit view of news articles and publications (docs/scheduling.md):
 * what the form's Publish at and Unpublish at will do, in the editor's time zone, and, as they are
 * typed, the refusal the CMS would answer on saving (the same rules: ../scheduling/schedule.ts).
 * The warning matters because Strapi's admin reloads the entry after a refused save: what was typed
 * since the last save would be lost.
 */
import { useForm } from '@strapi/strapi/admin'
import { useTheme } from 'styled-components'
import { isScheduledType, scheduleErrors, timeOf } from '../scheduling/schedule'

interface PanelProps {
  model: string
}

type Values = Record<string, unknown>

const when = (time: number) => new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' }).format(time)

function ScheduleSummary() {
  const values = useForm('SchedulePanel', state => state.values, false) as Values | undefined
  const initialValues = useForm('SchedulePanel', state => state.initialValues, false) as Values | undefined
  const theme = useTheme() as { colors?: Record<string, string> } | undefined
  const color = (name: string, fallback: string) => theme?.colors?.[name] ?? fallback
  if (!values)
    return null
  const publishAt = timeOf(values.publishAt)
  const unpublishAt = timeOf(values.unpublishAt)
  const problems = scheduleErrors(initialValues ?? {}, {
    publishAt: values.publishAt ?? null,
    unpublishAt: values.unpublishAt ?? null,
  }, Date.now())
  const text = {
    margin: 0,
    fontSize: '1.4rem',
    lineHeight: 1.43,
    color: color('neutral800', '#32324d'),
  }
  const hint = {
    margin: 0,
    fontSize: '1.2rem',
    lineHeight: 1.33,
    color: color('neutral600', '#666687'),
  }
  const lines: string[] = []
  if (typeof publishAt === 'number' && !Number.isNaN(publishAt))
    lines.push(`Publishes the draft on ${when(publishAt)}.`)
  if (typeof unpublishAt === 'number' && !Number.isNaN(unpublishAt))
    lines.push(`Unpublishes on ${when(unpublishAt)}.`)
  return (
    <div style={{
      display: 'flex',
      flexDirection: 'column',
      gap: '0.8rem',
      width: '100%',
    }}
    >
      {lines.length
        ? lines.map(line => <p key={line} style={text}>{line}</p>)
        : <p style={text}>Not scheduled.</p>}
      {problems.map(problem => (
        <p
          key={problem.message}
          role="alert"
          style={{
            ...text,
            color: color('danger600', '#d02b20'),
          }}
        >
          Saving will be refused:
          {' '}
          {problem.message}
        </p>
      ))}
      <p style={hint}>
        Times are in your time zone (
        {new Intl.DateTimeFormat().resolvedOptions().timeZone}
        ). Editors set the schedule with Save; it is carried out within a minute.
      </p>
    </div>
  )
}

export function SchedulePanel({ model }: PanelProps) {
  if (!isScheduledType(model))
    return null
  return {
    title: 'Schedule',
    content: <ScheduleSummary />,
  }
}
