/**
 * Staffing roles with relative weights, the skills and certifications a recruiter would expect
 * for each, and the workplaces resumes mention. Weights lean light-industrial, as a staffing
 * agency's bench does. Skill and certification names contain no commas so the `skills` and
 * `certifications` columns stay unquoted; only `resume_text` exercises CSV quoting.
 *
 * Deliberately absent: "dental hygienist" — search tests query it as a role with no workers.
 */

export interface RoleSpec {
  readonly role: string
  /** Relative frequency (integer); see ROLE_WEIGHT_TOTAL. */
  readonly weight: number
  /** 3–6 of these are drawn per worker, so every pool holds at least 6. */
  readonly skills: readonly string[]
  /** 0–3 of these are drawn per worker (fewer when the pool is smaller). */
  readonly certifications: readonly string[]
  /** Workplaces, as they read after "experience in …". */
  readonly settings: readonly string[]
}

// Lists are written as "a; b; c" (the form they take in the CSV) so each role stays a few
// lines; the formatter would otherwise put every item on its own line.
const TABLE: readonly { role: string; weight: number; skills: string; certifications: string; settings: string }[] = [
  {
    role: 'warehouse associate',
    weight: 14,
    skills:
      'pallet jack operation; RF scanning; order picking; packing and shipping; inventory cycle counts; loading and unloading trucks; shipping and receiving; WMS software',
    certifications: 'OSHA-10; OSHA-30; Forklift Certified',
    settings: 'distribution centers; e-commerce fulfillment centers; cold-storage warehouses',
  },
  {
    role: 'forklift operator',
    weight: 8,
    skills:
      'sit-down forklift; stand-up reach truck; order picker lift; pallet jack operation; RF scanning; load securing; inventory cycle counts; dock operations',
    certifications: 'Forklift Certified; OSHA-10; OSHA-30; Reach Truck Certified',
    settings: 'distribution centers; lumber yards; manufacturing plants',
  },
  {
    role: 'electrician',
    weight: 3,
    skills:
      'residential wiring; commercial wiring; conduit bending; blueprint reading; NEC code compliance; circuit troubleshooting; panel installation; lighting retrofits',
    certifications: 'Journeyman Electrician License; OSHA-30; OSHA-10; NFPA 70E',
    settings: 'commercial construction; residential remodels; tenant build-outs',
  },
  {
    role: 'industrial electrician',
    weight: 2,
    skills:
      'industrial wiring; conduit bending; PLC troubleshooting; blueprint reading; motor controls; VFD programming; 480V three-phase systems; preventive maintenance',
    certifications: 'Journeyman Electrician License; OSHA-30; NFPA 70E; Master Electrician License',
    settings: 'manufacturing plants; food processing plants; automotive plants',
  },
  {
    role: 'welder',
    weight: 3,
    skills:
      'MIG welding; TIG welding; stick welding; flux-core welding; blueprint reading; metal fabrication; weld inspection; oxy-fuel cutting',
    certifications: 'AWS Certified Welder; OSHA-10; OSHA-30',
    settings: 'fabrication shops; structural steel projects; shipyards',
  },
  {
    role: 'CNC machinist',
    weight: 2,
    skills:
      'CNC milling; CNC lathe operation; G-code programming; GD&T; blueprint reading; micrometer and caliper use; Mastercam; first article inspection',
    certifications: 'NIMS Machining Level I; OSHA-10',
    settings: 'job shops; aerospace machine shops; medical device plants',
  },
  {
    role: 'HVAC technician',
    weight: 2,
    skills:
      'refrigerant recovery; HVAC diagnostics; ductwork installation; boiler maintenance; rooftop unit service; thermostat wiring; brazing; preventive maintenance',
    certifications: 'EPA 608 Universal; NATE Certified; OSHA-10',
    settings: 'commercial buildings; residential service calls; property management',
  },
  {
    role: 'plumber',
    weight: 2,
    skills:
      'pipe fitting; PEX and copper piping; drain cleaning; water heater installation; backflow testing; fixture installation; blueprint reading; soldering',
    certifications: 'Journeyman Plumber License; OSHA-10; Backflow Prevention Certified',
    settings: 'new construction; residential service calls; commercial maintenance',
  },
  {
    role: 'carpenter',
    weight: 2,
    skills:
      'framing; finish carpentry; drywall installation; cabinet installation; blueprint reading; concrete formwork; power tools; trim work',
    certifications: 'OSHA-10; OSHA-30; NCCER Carpentry',
    settings: 'new construction; commercial interiors; residential remodels',
  },
  {
    role: 'CDL truck driver',
    weight: 5,
    skills:
      'tractor-trailer operation; pre-trip inspection; ELD logging; route planning; DOT compliance; load securing; backing and docking; flatbed hauling',
    certifications: 'CDL Class A; HazMat Endorsement; Tanker Endorsement; TWIC Card',
    settings: 'regional freight; over-the-road hauling; dedicated routes',
  },
  {
    role: 'delivery driver',
    weight: 5,
    skills:
      'route planning; last-mile delivery; customer service; vehicle inspection; handheld scanner use; safe driving; proof of delivery; box truck operation',
    certifications: 'Clean MVR; CDL Class B; DOT Medical Card',
    settings: 'parcel delivery; furniture delivery; grocery delivery',
  },
  {
    role: 'line cook',
    weight: 4,
    skills: 'grill station; saute station; food prep; knife skills; food safety; high-volume service; menu execution; inventory rotation',
    certifications: 'ServSafe Food Handler; ServSafe Manager; Food Allergen Awareness',
    settings: 'full-service restaurants; hotel kitchens; catering operations',
  },
  {
    role: 'dishwasher',
    weight: 3,
    skills: 'commercial dishwashing; kitchen sanitation; food safety; pot and pan washing; chemical handling; stocking; prep assistance',
    certifications: 'ServSafe Food Handler',
    settings: 'full-service restaurants; hospital kitchens; banquet halls',
  },
  {
    role: 'housekeeper',
    weight: 4,
    skills: 'room turnover; laundry operations; deep cleaning; chemical safety; guest service; linen management; floor care',
    certifications: 'OSHA-10; Bloodborne Pathogens',
    settings: 'hotels; senior living communities; hospitals',
  },
  {
    role: 'registered nurse',
    weight: 3,
    skills:
      'patient assessment; medication administration; IV therapy; wound care; EHR charting; care planning; telemetry monitoring; patient education',
    certifications: 'RN License; BLS; ACLS; PALS',
    settings: 'med-surg units; long-term care facilities; outpatient clinics',
  },
  {
    role: 'CNA',
    weight: 4,
    skills:
      'patient care; vital signs; ADL assistance; patient transfers; infection control; EHR charting; feeding assistance; mobility support',
    certifications: 'CNA Certification; BLS; CPR/First Aid',
    settings: 'skilled nursing facilities; assisted living communities; home health',
  },
  {
    role: 'medical assistant',
    weight: 3,
    skills: 'vital signs; phlebotomy; EHR charting; patient intake; injections; EKG; scheduling; insurance verification',
    certifications: 'CMA (AAMA); BLS; Phlebotomy Certification',
    settings: 'family practices; urgent care clinics; specialty clinics',
  },
  {
    role: 'pharmacy technician',
    weight: 2,
    skills:
      'prescription filling; medication inventory; insurance billing; compounding; pharmacy software; customer service; controlled substance counts',
    certifications: 'CPhT; State Pharmacy Technician License',
    settings: 'retail pharmacies; hospital pharmacies; mail-order pharmacies',
  },
  {
    role: 'customer service representative',
    weight: 6,
    skills:
      'inbound calls; CRM software; order entry; complaint resolution; data entry; live chat support; bilingual Spanish; billing inquiries',
    certifications: 'HDI Customer Service Representative; Bilingual Certification',
    settings: 'call centers; utility billing offices; retail support desks',
  },
  {
    role: 'administrative assistant',
    weight: 4,
    skills:
      'Microsoft Office; calendar management; data entry; filing and records; phone reception; travel coordination; QuickBooks; meeting minutes',
    certifications: 'Microsoft Office Specialist; Certified Administrative Professional',
    settings: 'corporate offices; law firms; property management offices',
  },
  {
    role: 'security guard',
    weight: 4,
    skills: 'access control; patrol; CCTV monitoring; incident reports; emergency response; de-escalation; visitor screening',
    certifications: 'Guard Card; CPR/First Aid; Armed Security License',
    settings: 'office towers; distribution centers; event venues',
  },
  {
    role: 'janitor',
    weight: 4,
    skills: 'floor care; restroom sanitation; trash removal; floor buffing; chemical handling; carpet extraction; restocking supplies',
    certifications: 'OSHA-10; Bloodborne Pathogens',
    settings: 'office buildings; schools; manufacturing plants',
  },
  {
    role: 'assembler',
    weight: 6,
    skills: 'mechanical assembly; electronic assembly; hand tools; power tools; blueprint reading; soldering; quality checks; torque tools',
    certifications: 'OSHA-10; IPC J-STD-001',
    settings: 'electronics plants; automotive suppliers; appliance plants',
  },
  {
    role: 'quality inspector',
    weight: 2,
    skills:
      'visual inspection; calipers and micrometers; CMM operation; SPC; first article inspection; blueprint reading; ISO 9001; nonconformance reports',
    certifications: 'ASQ CQI; OSHA-10; ISO 9001 Internal Auditor',
    settings: 'automotive suppliers; aerospace plants; food processing plants',
  },
  {
    role: 'maintenance technician',
    weight: 3,
    skills:
      'preventive maintenance; hydraulics; pneumatics; electrical troubleshooting; PLC troubleshooting; welding; conveyor repair; CMMS work orders',
    certifications: 'OSHA-30; EPA 608 Universal; NFPA 70E; Forklift Certified',
    settings: 'manufacturing plants; distribution centers; apartment communities',
  },
  {
    role: 'machine operator',
    weight: 3,
    skills: 'machine setup; press operation; injection molding; quality checks; lockout/tagout; production reporting; material handling',
    certifications: 'OSHA-10; Forklift Certified',
    settings: 'plastics plants; metal stamping plants; packaging plants',
  },
]

const list = (text: string): readonly string[] => Object.freeze(text.split('; '))

export const ROLE_SPECS: readonly RoleSpec[] = Object.freeze(
  TABLE.map((row) =>
    Object.freeze({
      role: row.role,
      weight: row.weight,
      skills: list(row.skills),
      certifications: list(row.certifications),
      settings: list(row.settings),
    }),
  ),
)

/** Role names in declaration order, for tests and fixtures in other packages. */
export const ROLES: readonly string[] = Object.freeze(ROLE_SPECS.map((spec) => spec.role))

export const ROLE_WEIGHT_TOTAL: number = ROLE_SPECS.reduce((sum, spec) => sum + spec.weight, 0)
