/**
 * Real uploads for tests: files go through the upload plugin (stored in public/uploads, image
 * formats generated) exactly as when an editor uploads them in the Media Library.
 */
import type { Core } from '@strapi/strapi'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

export interface UploadedFile {
  id: number
  name: string
  url: string
  mime: string
  formats?: Record<string, { url: string }> | null
}

/** A solid-colour RGB PNG, large enough for every format (thumbnail, small, medium, large). */
export function makePng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const row = Buffer.alloc(1 + width * 3)
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3)
  const raw = Buffer.concat(Array.from<Buffer>({ length: height }).fill(row))
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([
      Buffer.from(type, 'latin1'),
      data,
    ])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([
      0x89,
      0x50,
      0x4E,
      0x47,
      0x0D,
      0x0A,
      0x1A,
      0x0A,
    ]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

export async function upload(strapi: Core.Strapi, name: string, mime: string, bytes: Buffer): Promise<UploadedFile> {
  const dir = await mkdtemp(join(tmpdir(), 'isecg-upload-'))
  try {
    const filepath = join(dir, name)
    await writeFile(filepath, bytes)
    const [file] = await strapi.plugin('upload').service('upload').upload({
      data: {
        fileInfo: { name, caption: name, alternativeText: name },
      },
      files: {
        filepath,
        originalFilename: name,
        mimetype: mime,
        size: bytes.length,
      },
    })
    return file as UploadedFile
  }
  finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Every URL of a file: the original and each format. */
export function urlsOf(file: UploadedFile) {
  return [
    file.url,
    ...Object.values(file.formats ?? {}).map(format => format.url),
  ]
}
