/**
 * Given and family names, ASCII only so emails derive without transliteration. About 100 × 100
 * combinations plus middle initials keep duplicate names common enough to be realistic (two
 * "Maria Garcia"s) while emails and ids stay unique.
 */

const words = (text: string): readonly string[] => Object.freeze(text.trim().split(/\s+/))

export const FIRST_NAMES: readonly string[] = words(`
  James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan
  Joseph Jessica Thomas Sarah Christopher Karen Charles Lisa Daniel Nancy Matthew Betty Anthony Sandra
  Mark Ashley Donald Kimberly Steven Emily Andrew Donna Paul Michelle Joshua Carol Kenneth Amanda Kevin
  Melissa Brian Deborah Jose Maria Luis Guadalupe Carlos Rosa Juan Ana Miguel Carmen Jorge Lucia Pedro
  Sofia Alejandro Elena Diego Gabriela DeShawn Aaliyah Jamal Keisha Tyrone Imani Darnell Latoya Malik
  Ebony Wei Mei Jin Hana Minh Linh Raj Priya Arjun Anjali Tariq Fatima Omar Amina Ivan Olga Dmitri Katya
  Liam Olivia Noah Emma Ethan Ava Mason
`)

export const LAST_NAMES: readonly string[] = words(`
  Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
  Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
  Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
  Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz
  Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson
  Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray
  Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers O'Brien Washington Tran Chen Singh
`)

export const MIDDLE_INITIALS: readonly string[] = words('A B C D E F G H J K L M N P R S T W')
