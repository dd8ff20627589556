import type { MemberView } from '../../shared/types/view'

/** Member agencies in the CMS's display order. */
export default defineEventHandler(async (event): Promise<MemberView[]> => {
  const response = await fromCms(event, cms => cms.find('member-agencies', MEMBER_QUERY))
  const origin = mediaOrigin(event)
  return entries(response.data).map(member => toMember(member, origin))
})
