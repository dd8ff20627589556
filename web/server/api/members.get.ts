import type { MemberView } from '../../shared/types/view'

/** Member agencies in the CMS's display order. */
export default defineEventHandler(async (event): Promise<MemberView[]> => {
  const members = await fromCms(event, cms => cms.findAll('member-agencies', MEMBER_QUERY))
  const origin = mediaOrigin(event)
  return members.map(member => toMember(member, origin))
})
