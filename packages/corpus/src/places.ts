/**
 * US metros where staffing demand concentrates, with rough relative weights (bigger metros get
 * more workers) and real area codes, so phone numbers read as local: `(312) 555-0142` for
 * Chicago. The exchange is always 555, which North American numbering keeps out of general
 * assignment, so no generated number reaches a real subscriber's line.
 */

export interface Place {
  readonly city: string
  /** USPS two-letter code. */
  readonly state: string
  readonly weight: number
  readonly areaCodes: readonly string[]
}

const p = (city: string, state: string, weight: number, ...areaCodes: string[]): Place =>
  Object.freeze({ city, state, weight, areaCodes: Object.freeze(areaCodes) })

export const PLACES: readonly Place[] = Object.freeze([
  p('Chicago', 'IL', 6, '312', '773', '872'),
  p('Houston', 'TX', 6, '713', '832', '281'),
  p('Dallas', 'TX', 5, '214', '469', '972'),
  p('Fort Worth', 'TX', 3, '817', '682'),
  p('San Antonio', 'TX', 3, '210', '726'),
  p('Austin', 'TX', 3, '512', '737'),
  p('Phoenix', 'AZ', 5, '602', '480', '623'),
  p('Atlanta', 'GA', 5, '404', '678', '770'),
  p('Los Angeles', 'CA', 6, '213', '323', '310'),
  p('Riverside', 'CA', 3, '951'),
  p('Sacramento', 'CA', 2, '916'),
  p('Fresno', 'CA', 2, '559'),
  p('Columbus', 'OH', 3, '614', '380'),
  p('Cleveland', 'OH', 2, '216'),
  p('Cincinnati', 'OH', 2, '513'),
  p('Indianapolis', 'IN', 3, '317', '463'),
  p('Memphis', 'TN', 3, '901'),
  p('Nashville', 'TN', 3, '615', '629'),
  p('Louisville', 'KY', 2, '502'),
  p('Kansas City', 'MO', 2, '816'),
  p('St. Louis', 'MO', 2, '314'),
  p('Milwaukee', 'WI', 2, '414'),
  p('Detroit', 'MI', 3, '313'),
  p('Pittsburgh', 'PA', 2, '412'),
  p('Philadelphia', 'PA', 4, '215', '267'),
  p('Newark', 'NJ', 3, '973', '862'),
  p('Baltimore', 'MD', 2, '410', '443'),
  p('Richmond', 'VA', 2, '804'),
  p('Charlotte', 'NC', 3, '704', '980'),
  p('Raleigh', 'NC', 2, '919', '984'),
  p('Jacksonville', 'FL', 2, '904'),
  p('Orlando', 'FL', 3, '407', '321'),
  p('Tampa', 'FL', 3, '813'),
  p('Miami', 'FL', 4, '305', '786'),
  p('Birmingham', 'AL', 2, '205'),
  p('Oklahoma City', 'OK', 2, '405'),
  p('Omaha', 'NE', 1, '402'),
  p('Minneapolis', 'MN', 3, '612', '763'),
  p('Denver', 'CO', 3, '303', '720'),
  p('Salt Lake City', 'UT', 2, '801', '385'),
  p('Albuquerque', 'NM', 1, '505'),
  p('Las Vegas', 'NV', 3, '702', '725'),
  p('Reno', 'NV', 1, '775'),
  p('Portland', 'OR', 2, '503', '971'),
  p('Seattle', 'WA', 3, '206', '253'),
])
