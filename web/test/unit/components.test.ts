import type { PublicationView } from '../../shared/types/view'
import { mount, RouterLinkStub } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import MemberBadge from '../../app/components/member/MemberBadge.vue'
import NewsCard from '../../app/components/news/NewsCard.vue'
import PublicationCard from '../../app/components/publication/PublicationCard.vue'
import PublicationLineage from '../../app/components/publication/PublicationLineage.vue'
import AppPagination from '../../app/components/site/AppPagination.vue'

// NuxtLink is a Nuxt global; in a plain Vue test it is stubbed with a router link that renders <a>.
const global = {
  stubs: { NuxtLink: RouterLinkStub },
}

const publication: PublicationView = {
  slug: 'ger-2018',
  title: 'The Global Exploration Roadmap, 3rd edition',
  kind: 'roadmap',
  date: '2018-01-31',
  abstract: 'The third edition of the roadmap.',
  language: 'en',
  cover: null,
  file: {
    url: '/uploads/ger_2018.pdf',
    alt: '',
    ext: '.pdf',
    size: 5120,
    name: 'ger_2018.pdf',
  },
  topics: [],
  supersedes: {
    slug: 'ger-2013',
    title: 'The Global Exploration Roadmap, 2nd edition',
    date: '2013-08-20',
    kind: 'roadmap',
  },
  supersededBy: {
    slug: 'ger-2024',
    title: 'The Global Exploration Roadmap, 2024',
    date: '2024-05-01',
    kind: 'roadmap',
  },
  supplements: null,
  supplementedBy: [],
}

describe('memberBadge', () => {
  it('shows an acronym badge with the full name when the agency has no logo', () => {
    const wrapper = mount(MemberBadge, {
      props: {
        member: { acronym: 'KARI', name: 'Korea Aerospace Research Institute', logo: null },
      },
    })
    const abbr = wrapper.get('abbr')
    expect(abbr.text()).toBe('KARI')
    expect(abbr.attributes('title')).toBe('Korea Aerospace Research Institute')
    expect(wrapper.find('img').exists()).toBe(false)
  })

  it('shows the logo with a text alternative when there is one', () => {
    const wrapper = mount(MemberBadge, {
      props: {
        member: {
          acronym: 'ESA',
          name: 'European Space Agency',
          logo: { url: '/uploads/esa.png', alt: '' },
        },
      },
    })
    const img = wrapper.get('img')
    expect(img.attributes('src')).toBe('/uploads/esa.png')
    expect(img.attributes('alt')).toBe('European Space Agency logo')
  })
})

describe('appPagination', () => {
  it('links every page, marks the current one and uses ?page=N', () => {
    const wrapper = mount(AppPagination, {
      props: { page: 2, pageCount: 3, path: '/news' },
      global,
    })
    const links = wrapper.findAllComponents(RouterLinkStub)
    const targets = links.map(link => link.props('to'))
    expect(targets).toEqual([
      '/news',
      '/news',
      '/news?page=2',
      '/news?page=3',
      '/news?page=3',
    ])
    const current = wrapper.get('[aria-current="page"]')
    expect(current.text()).toContain('2')
  })

  it('renders nothing for a single page', () => {
    const wrapper = mount(AppPagination, {
      props: { page: 1, pageCount: 1, path: '/news' },
      global,
    })
    expect(wrapper.find('nav').exists()).toBe(false)
  })
})

describe('publicationLineage', () => {
  it('names the newer and older editions', () => {
    const wrapper = mount(PublicationLineage, {
      props: { publication },
      global,
    })
    expect(wrapper.text()).toContain('Superseded by The Global Exploration Roadmap, 2024')
    expect(wrapper.text()).toContain('Supersedes The Global Exploration Roadmap, 2nd edition')
    const targets = wrapper.findAllComponents(RouterLinkStub).map(link => link.props('to'))
    expect(targets).toEqual(['/publications/ger-2024', '/publications/ger-2013'])
  })

  it('renders nothing without lineage', () => {
    const wrapper = mount(PublicationLineage, {
      props: {
        publication: {
          supersedes: null,
          supersededBy: null,
          supplements: null,
          supplementedBy: [],
        },
      },
      global,
    })
    expect(wrapper.find('ul').exists()).toBe(false)
  })
})

describe('publicationCard', () => {
  it('shows kind, date, a download link with file info and the lineage', () => {
    const wrapper = mount(PublicationCard, {
      props: { publication },
      global,
    })
    expect(wrapper.text()).toContain('Roadmap')
    expect(wrapper.text()).toContain('January 2018')
    const download = wrapper.get('a.download')
    expect(download.attributes('href')).toBe('/uploads/ger_2018.pdf')
    expect(download.text()).toContain('PDF, 5.0 MB')
    expect(wrapper.text()).toContain('Superseded')
  })
})

describe('newsCard', () => {
  it('links the title to the article and shows the date', () => {
    const wrapper = mount(NewsCard, {
      props: {
        item: {
          slug: 'uae-joins',
          title: 'UAE Space Agency joins ISECG',
          date: '2015-10-05',
          summary: 'Welcome.',
          cover: null,
        },
      },
      global,
    })
    expect(wrapper.getComponent(RouterLinkStub).props('to')).toBe('/news/uae-joins')
    expect(wrapper.get('time').attributes('datetime')).toBe('2015-10-05')
    expect(wrapper.text()).toContain('5 October 2015')
  })
})
