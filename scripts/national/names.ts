/**
 * Names for people and schools, as they appear in Paraguayan rosters: Spanish first names, some Guarani
 * ones, common surnames, and the saints, heroes and Guarani words schools are named after. Guarani words
 * carry its nasal letters (ã, ẽ, ĩ, õ, ũ, ỹ) and the puso ('), so that every export of the data set
 * exercises them.
 */
export const FIRST_NAMES = [
  'María', 'Ana', 'Rosa', 'Lucía', 'Carmen', 'Liz', 'Gloria', 'Nilda', 'Mirna', 'Graciela', 'Ramona', 'Blanca', 'Sonia', 'Fátima', 'Noelia',
  'Juan', 'José', 'Carlos', 'Luis', 'Pedro', 'Ramón', 'Víctor', 'Hugo', 'Diego', 'Óscar', 'Julio', 'César', 'Ángel', 'Derlis', 'Néstor',
  'María José', 'Juan Carlos', 'Ana Belén', 'Luis Alberto', 'Rosa María', 'José Luis',
  // Guarani given names
  'Arami', 'Yerutí', 'Jasy', 'Araí', 'Mainumby', 'Ñandutí', 'Kuarahy', 'Yvoty', 'Arasy', 'Tupã',
];

export const SURNAMES = [
  'González', 'Benítez', 'Martínez', 'López', 'Giménez', 'Duarte', 'Vera', 'Ramírez', 'Báez', 'Villalba', 'Ortiz', 'Fernández', 'Acosta', 'Rojas',
  'Cabrera', 'Ayala', 'Aquino', 'Espínola', 'Cáceres', 'Sanabria', 'Cañete', 'Ocampos', 'Riveros', 'Núñez', 'Peña', 'Ibáñez', 'Samaniego', 'Caballero',
  'Insfrán', 'Zárate', 'Ruiz Díaz', 'Cardozo', 'Galeano', 'Ojeda', 'Britez', 'Sosa', 'Arce', 'Coronel', 'Paredes', 'Alcaraz',
];

export const SCHOOL_PATRONS = [
  'San Felipe', 'San Roque González de Santa Cruz', 'Virgen de Fátima', 'Virgen de la Asunción', 'Santa Librada', 'San Blas', 'San Isidro Labrador',
  'Niño Jesús', 'Mariscal Francisco Solano López', 'Doctor José Gaspar Rodríguez de Francia', 'Carlos Antonio López', 'General José Eduvigis Díaz',
  'Teniente Fariña', 'Defensores del Chaco', 'Héroes del Chaco', 'Adela Speratti', 'Celsa Speratti', 'Ramón Indalecio Cardozo', 'Juan E. O’Leary',
  'Augusto Roa Bastos', 'Josefina Plá', 'Elisa Alicia Lynch', 'Juana María de Lara', 'Nuestra Señora de Caacupé', 'Cerro Corá', 'Ytororó', 'Curupayty',
  // Guarani names
  'Ka’aguy Porã', 'Yvoty Porã', 'Ñu Guasu', "Yvy Marãe'ỹ", 'Tupãsy María', 'Mbo’ehára Ñane Retã', 'Arandu Rape', 'Ñe’ẽ Porã', 'Kuarahy Resẽ',
];

/** What a teacher's shift is called in rosters. */
export const SHIFTS = ['mañana', 'tarde', 'noche'];
