'use strict'

/**
 * The subscriber's attribute `status` became `subscription` (docs/notifications.md: `status` is
 * Strapi's draft & publish status in the Content Manager). Strapi runs this before it syncs the
 * schema, which would otherwise drop the column `status` with every subscriber's state and add
 * `subscription` set to `pending`. Nothing to do on a new database, or once done.
 */
module.exports = {
  async up(knex, db) {
    const schema = db.getSchemaName()
    const builder = () => schema
      ? knex.schema.withSchema(schema)
      : knex.schema
    if (!(await builder().hasTable('subscribers')))
      return
    if (!(await builder().hasColumn('subscribers', 'status')) || await builder().hasColumn('subscribers', 'subscription'))
      return
    await builder().alterTable('subscribers', (table) => {
      table.renameColumn('status', 'subscription')
    })
  },
}
